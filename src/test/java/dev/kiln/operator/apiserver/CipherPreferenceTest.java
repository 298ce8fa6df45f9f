package dev.kiln.operator.apiserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class CipherPreferenceTest {

  private static final String AES_128 = "TLS_AES_128_GCM_SHA256";
  private static final String AES_256 = "TLS_AES_256_GCM_SHA384";
  private static final String ECDHE_AES = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";

  @Test
  void chacha20ComesFirstAndEverySuiteAskedForFollowsInItsOrder() {
    String[] supported = {AES_256, AES_128, "TLS_CHACHA20_POLY1305_SHA256", ECDHE_AES,
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};
    assertArrayEquals(new String[] {"TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        ECDHE_AES, AES_128, AES_256}, CipherPreference.chacha20First(new String[] {ECDHE_AES, AES_128, AES_256}, supported));
  }

  @Test
  void aChacha20SuiteAlreadyAskedForMovesToTheFrontOnce() {
    String[] supported = {AES_128, "TLS_CHACHA20_POLY1305_SHA256"};
    assertArrayEquals(new String[] {"TLS_CHACHA20_POLY1305_SHA256", AES_128},
        CipherPreference.chacha20First(new String[] {AES_128, "TLS_CHACHA20_POLY1305_SHA256"}, supported));
  }

  @Test
  void aSuiteTheTlsImplementationDisallowsIsNeverAdded() {
    assertArrayEquals(new String[] {AES_128, AES_256},
        CipherPreference.chacha20First(new String[] {AES_128, AES_256}, new String[] {AES_128, AES_256}));
  }
}
