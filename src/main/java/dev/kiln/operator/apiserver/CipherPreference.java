package dev.kiln.operator.apiserver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The order in which the operator offers TLS cipher suites: ChaCha20-Poly1305 first, then what was
 * asked for. The operator's JVM keeps to its quick compiler (the chart's javaOptions), which has no
 * AES intrinsics: AES-GCM runs there at about a quarter of ChaCha20-Poly1305's speed, and decrypting
 * watch events is a large part of the operator's CPU. An API server written in Go follows the
 * client's first choice between the two, and a server that refuses ChaCha20 (a FIPS build) still
 * finds every suite that was asked for after it.
 */
final class CipherPreference {

  static final List<String> CHACHA20 = List.of(
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private CipherPreference() {}

  /**
   * @param requested the suites to enable, in their order
   * @param supported what the TLS implementation allows: a suite it disallows (security policy, FIPS
   *     provider) is never added
   */
  static String[] chacha20First(String[] requested, String[] supported) {
    Set<String> allowed = Set.of(supported);
    Set<String> ordered = new LinkedHashSet<>();
    for (String suite : CHACHA20) {
      if (allowed.contains(suite)) {
        ordered.add(suite);
      }
    }
    ordered.addAll(Arrays.asList(requested));
    return new ArrayList<>(ordered).toArray(String[]::new);
  }
}
