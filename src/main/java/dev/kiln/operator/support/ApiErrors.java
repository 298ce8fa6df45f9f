package dev.kiln.operator.support;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** The words of an error as a user should read them in a condition. */
public final class ApiErrors {

  /** Conditions stay readable and small: longer messages are cut here. */
  private static final int MAX_MESSAGE = 1024;

  private ApiErrors() {}

  /** The API server's own message for a refused request, else the error's; at most 1024 characters. */
  public static String message(Exception error) {
    String message = error instanceof KubernetesClientException api && api.getStatus() != null
        && api.getStatus().getMessage() != null ? api.getStatus().getMessage() : String.valueOf(error.getMessage());
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
  }
}
