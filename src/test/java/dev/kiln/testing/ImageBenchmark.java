package dev.kiln.testing;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.api.v1alpha1.SnapshotStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bake benchmark (not a timed test: it prints figures). For each N: a real API server with the
 * chart installed and the simulator at zero delay; the packaged operator in its own process under
 * the chart's ServiceAccount; N running Instances with two disks each; the operator warmed up by a
 * bake of its own in another namespace; then N MachineImages created at once. It reports images/s, create→Available p50/p99, the operator's API requests after
 * start-up by verb and resource (from the audit log), writes per image, the operator's peak RSS and
 * live heap (the JVM sized by the chart's memory limit), and the floor ({@link BakeFloor}): the time
 * a plain client with perfect knowledge takes to bake the same images on the same cluster.
 *
 * <p>Run: {@code bash hack/benchmark.sh [N ...]}; figures also go to target/benchmark/results.md.
 */
@Tag("benchmark")
class ImageBenchmark {

  private static final String BAKE = "bench";
  private static final String FLOOR = "floor";
  private static final String WARM = "warm";
  private static final int CLIENT_THREADS = 16;
  private static final int WARM_UP_IMAGES = 30;
  private static final long CHART_MEMORY_LIMIT_MIB =
      PackagedOperator.memoryLimit(new ChartRelease().objects()).orElse(0L) / (1024 * 1024);
  /** The simulator plays many kubelets and CSI controllers: it works on this many objects at once. */
  private static final int SIMULATOR_LANES = 8;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Duration SETUP = Duration.ofMinutes(20);
  /** USER_HZ, the unit of /proc/PID/stat's times: 100 on Linux for every architecture Kiln's images target. */
  private static final int CLOCK_TICKS_PER_SECOND = 100;
  private static final Duration BAKE_LIMIT = Duration.ofMinutes(30);

  /** One size's figures. */
  record Result(int images, double bakeSeconds, double p50Seconds, double p99Seconds, double floorSeconds,
      Map<String, Integer> requests, int writes, int reads, int watches, int leaseRequests, long peakRssKib,
      long liveHeapKib, double operatorCpuSeconds) {

    double writesPerImage() {
      return (double) writes / images;
    }
  }

  @Test
  void bake() {
    List<Integer> sizes = Arrays.stream(System.getProperty("kiln.benchmark.sizes", "100,500,1000").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    // This JVM runs the simulator and the floor's client: a first round, not reported, compiles their
    // code, so the first reported bake does not pay for it while its floor, run after it, does not.
    print(run(WARM_UP_IMAGES));
    System.out.println("(a warm-up round, not reported)");
    List<Result> results = new ArrayList<>();
    for (int n : sizes) {
      Result result = run(n);
      results.add(result);
      print(result);
    }
    String table = table(results);
    System.out.println(table);
    write(table);
  }

  private Result run(int n) {
    String label = "benchmark-" + n;
    try (TestPlatform platform = TestPlatform.atScale(label, new ChartRelease(), List.of(BAKE, FLOOR, WARM), SIMULATOR_LANES)) {
      KubernetesClient client = platform.client();
      Path work = Files.createDirectories(Path.of("target", "benchmark", label)).toAbsolutePath();
      PackagedOperator operator = new PackagedOperator(new ChartRelease(), platform.operatorClient().getConfiguration(),
          work, work);
      operator.start();
      try {
        progress(n, "launching " + n + " Instances with 2 disks each");
        parallel(n, i -> Manifests.create(client, BAKE, instance(i)));
        awaitCount(client, n, "Instances Running", () -> client.resources(Instance.class).inNamespace(BAKE).list()
            .getItems().stream().filter(ImageBenchmark::running).count(), SETUP);
        progress(n, "warming the operator up: " + WARM_UP_IMAGES + " images baked in a namespace of their own");
        warmUp(client);
        Path audit = TestPlatform.auditLogOf(label);
        awaitQuiet(audit);
        long mark = AuditLog.completeLines(audit);
        double cpuBefore = cpuSeconds(operator.pid());

        progress(n, "baking " + n + " MachineImages at once");
        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        Map<String, Long> availableAt = new ConcurrentHashMap<>();
        Map<String, String> failed = new ConcurrentHashMap<>();
        SharedIndexInformer<MachineImage> images = watchImages(client, availableAt, failed);
        long start = System.nanoTime();
        parallel(n, i -> {
          createdAt.put("img-" + i, System.nanoTime());
          Manifests.create(client, BAKE, image(i));
        });
        Awaitility.await("every image Available").atMost(BAKE_LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> {
          if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " images failed, e.g. " + failed.entrySet().iterator().next());
          }
          return availableAt.size() == n;
        });
        double bakeSeconds = seconds(availableAt.values().stream().mapToLong(t -> t).max().orElseThrow() - start);
        images.close();
        List<Double> latencies = availableAt.entrySet().stream()
            .map(e -> seconds(e.getValue() - createdAt.get(e.getKey()))).sorted().toList();

        awaitCount(client, n, "Instances Running again", () -> client.resources(Instance.class).inNamespace(BAKE).list()
            .getItems().stream().filter(ImageBenchmark::running).count(), SETUP);
        awaitQuiet(audit);
        double operatorCpu = cpuSeconds(operator.pid()) - cpuBefore;
        long[] memory = memory(operator.pid());
        List<AuditLog.Request> requests = AuditLog.readFrom(audit, mark, AuditLog.completeLines(audit));
        operator.stop();

        progress(n, "floor: the same images baked by a plain client");
        double floorSeconds = new BakeFloor(client, FLOOR, CLIENT_THREADS,
            client.resources(Snapshot.class).inNamespace(BAKE).withName("img-0-root").get().getStatus(),
            client.resources(MachineImage.class).inNamespace(BAKE).withName("img-0").get().getStatus()).bake(n, SETUP);
        return summarise(n, bakeSeconds, latencies, floorSeconds, requests, memory, operatorCpu);
      } finally {
        operator.stop();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The operator has baked before, as one that has been running for a while has: its image code is
   * compiled, as the floor's client's is by the warm-up round.
   */
  private static void warmUp(KubernetesClient client) {
    parallel(WARM_UP_IMAGES, i -> Manifests.create(client, WARM, instance(i)));
    awaitCount(client, WARM_UP_IMAGES, "warm-up Instances Running", () -> client.resources(Instance.class).inNamespace(WARM)
        .list().getItems().stream().filter(ImageBenchmark::running).count(), SETUP);
    parallel(WARM_UP_IMAGES, i -> Manifests.create(client, WARM, image(i)));
    awaitCount(client, WARM_UP_IMAGES, "warm-up images Available", () -> client.resources(MachineImage.class).inNamespace(WARM)
        .list().getItems().stream().filter(image -> image.getStatus() != null
            && image.getStatus().getPhase() == MachineImagePhase.AVAILABLE).count(), SETUP);
    awaitCount(client, WARM_UP_IMAGES, "warm-up Instances Running again", () -> client.resources(Instance.class)
        .inNamespace(WARM).list().getItems().stream().filter(ImageBenchmark::running).count(), SETUP);
  }

  private static Result summarise(int n, double bakeSeconds, List<Double> latencies, double floorSeconds,
      List<AuditLog.Request> requests, long[] memory, double operatorCpuSeconds) {
    Map<String, Integer> byVerbAndResource = new TreeMap<>();
    int writes = 0;
    int reads = 0;
    int watches = 0;
    int leases = 0;
    for (AuditLog.Request request : requests) {
      if (request.resource().equals("leases")) {
        leases++; // leader election renews its Lease: not the bake's cost
        continue;
      }
      byVerbAndResource.merge(request.verb() + " " + request.resource(), 1, Integer::sum);
      switch (request.verb()) {
        case "create", "update", "patch", "delete", "deletecollection" -> writes++;
        case "get", "list" -> reads++;
        case "watch" -> watches++;
        default -> { }
      }
    }
    return new Result(n, bakeSeconds, percentile(latencies, 50), percentile(latencies, 99), floorSeconds,
        byVerbAndResource, writes, reads, watches, leases, memory[0], memory[1], operatorCpuSeconds);
  }

  private static SharedIndexInformer<MachineImage> watchImages(KubernetesClient client, Map<String, Long> availableAt,
      Map<String, String> failed) {
    return client.resources(MachineImage.class).inNamespace(BAKE).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(MachineImage image) {
        seen(image);
      }

      @Override
      public void onUpdate(MachineImage before, MachineImage image) {
        seen(image);
      }

      @Override
      public void onDelete(MachineImage image, boolean unknown) {}

      private void seen(MachineImage image) {
        MachineImagePhase phase = image.getStatus() == null ? null : image.getStatus().getPhase();
        if (phase == MachineImagePhase.AVAILABLE) {
          availableAt.putIfAbsent(image.getMetadata().getName(), System.nanoTime());
        } else if (phase == MachineImagePhase.FAILED) {
          failed.put(image.getMetadata().getName(), String.valueOf(image.getStatus().getConditions()));
        }
      }
    });
  }

  private static String instance(int i) {
    return Manifests.twoDiskInstance("web-" + i, "1Gi", "1Gi");
  }

  static String image(int i) {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img-%d}
        spec:
          family: bench
          source: {instance: {name: web-%d, consistency: Stop}}
        """.formatted(i, i);
  }

  private static boolean running(Instance instance) {
    return instance.getStatus() != null && instance.getStatus().getPhase() == InstancePhase.RUNNING;
  }

  static void parallel(int n, IntConsumer task) {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        done.add(pool.submit(() -> task.accept(index)));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitCount(KubernetesClient client, int n, String what, java.util.concurrent.Callable<Long> count,
      Duration limit) {
    Awaitility.await(what).atMost(limit).pollInterval(Duration.ofSeconds(1)).until(() -> count.call() >= n);
  }

  /**
   * The operator has gone quiet: for three seconds in a row, no request other than on its Lease
   * (leader election renews it every few seconds whatever else happens).
   */
  private static void awaitQuiet(Path audit) {
    long[] offset = {0};
    int[] still = {0};
    Awaitility.await("the operator goes quiet").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          long complete = AuditLog.completeLines(audit);
          boolean busy = AuditLog.readFrom(audit, offset[0], complete).stream().anyMatch(r -> !r.resource().equals("leases"));
          offset[0] = complete;
          still[0] = busy ? 0 : still[0] + 1;
          return still[0] >= 3;
        });
  }

  /**
   * The CPU time the process has used, from /proc: from the images' creation until every Instance runs
   * again, it is what the operator took of the cores the API server shares.
   */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the fields after the command, which may itself hold spaces, in parentheses
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
      return ticks / (double) CLOCK_TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Peak resident set (VmHWM) and the live heap after a full GC, in KiB. */
  private static long[] memory(long pid) {
    try {
      long peak = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          peak = Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
      jcmd(pid, "GC.run");
      return new long[] {peak, heapUsedKib(jcmd(pid, "GC.heap_info"))};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The heap in use from {@code GC.heap_info}: the one heap line of G1, the sum of the generations of
   * the serial collector; metaspace is not heap.
   */
  static long heapUsedKib(String heapInfo) {
    Pattern used = Pattern.compile("total \\d+K, used (\\d+)K");
    long sum = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      Matcher matcher = used.matcher(line);
      if (!line.contains("Metaspace") && !line.contains("class space") && matcher.find()) {
        sum += Long.parseLong(matcher.group(1));
        found = true;
      }
    }
    return found ? sum : -1;
  }

  private static String jcmd(long pid, String command) throws IOException {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes());
      process.waitFor(30, TimeUnit.SECONDS);
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void progress(int n, String message) {
    System.out.printf("[benchmark N=%d %tT] %s%n", n, System.currentTimeMillis(), message);
  }

  private static void print(Result r) {
    System.out.printf(Locale.ROOT, "%n== N=%d: bake %.1f s (%.1f images/s), create→Available p50 %.1f s p99 %.1f s, "
            + "floor %.1f s (bake/floor %.1f)%n   operator requests after start-up: %d writes (%.1f per image), "
            + "%d get/list, %d watch, %d on its Lease; peak RSS %d MiB (chart memory limit %d MiB), live heap %d MiB; "
            + "operator CPU %.1f s (%.0f ms per image)%n",
        r.images(), r.bakeSeconds(), r.images() / r.bakeSeconds(), r.p50Seconds(), r.p99Seconds(), r.floorSeconds(),
        r.bakeSeconds() / r.floorSeconds(), r.writes(), r.writesPerImage(), r.reads(), r.watches(), r.leaseRequests(),
        r.peakRssKib() / 1024, CHART_MEMORY_LIMIT_MIB, r.liveHeapKib() / 1024, r.operatorCpuSeconds(),
        1000 * r.operatorCpuSeconds() / r.images());
    r.requests().forEach((request, count) -> System.out.printf(Locale.ROOT, "   %-45s %7d  %6.2f per image%n",
        request, count, (double) count / r.images()));
  }

  private static String table(List<Result> results) {
    StringBuilder table = new StringBuilder("""
        | N | bake | images/s | p50 | p99 | floor | bake/floor | writes/image | get+list | peak RSS | live heap | operator CPU |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        """);
    for (Result r : results) {
      table.append(String.format(Locale.ROOT, "| %d | %.1f s | %.1f | %.1f s | %.1f s | %.1f s | %.1f | %.1f | %d | %d MiB | %d MiB | %.1f s |%n",
          r.images(), r.bakeSeconds(), r.images() / r.bakeSeconds(), r.p50Seconds(), r.p99Seconds(), r.floorSeconds(),
          r.bakeSeconds() / r.floorSeconds(), r.writesPerImage(), r.reads(), r.peakRssKib() / 1024, r.liveHeapKib() / 1024,
          r.operatorCpuSeconds()));
    }
    return table.toString();
  }

  private static void write(String table) {
    try {
      Path results = Path.of("target", "benchmark", "results.md");
      Files.createDirectories(results.getParent());
      Files.writeString(results, table, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
