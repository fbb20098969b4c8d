package io.github.mondoowif.examples;

import io.github.mondoowif.MondooApiClient;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooRequestSigner;
import io.github.mondoowif.MondooWifException;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Calling Mondoo's API with the keyless credential: every request is signed (ES384, with a hash of the
 * exact body) by {@link MondooRequestSigner}, using whatever credential is current, so a client that
 * runs for days never holds an expired key.
 */
public final class ApiClientExample {
  private ApiClientExample() {}

  public static void main(String[] args) throws IOException, MondooWifException {
    MondooCredentials credentials = MondooCredentials.defaultInstance();

    // The two check endpoints, ready made.
    MondooApiClient api = MondooApiClient.create(credentials);
    MondooApiClient.Health health = api.health();
    System.out.println("Mondoo " + health.version() + " at " + api.endpoint() + ", clock offset "
        + health.clockOffset(java.time.Instant.now()));
    api.pingPong();
    System.out.println("PingPong: the signed request was accepted");

    // Any other endpoint: an ordinary OkHttp client with the signer as an application interceptor.
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(MondooRequestSigner.create(credentials))
        .build();
    Request request = new Request.Builder()
        .url(api.endpoint() + MondooApiClient.PING_PONG_PATH)
        .post(RequestBody.create("{}", MediaType.get("application/json")))
        .build();
    try (Response response = client.newCall(request).execute()) {
      System.out.println("POST " + MondooApiClient.PING_PONG_PATH + " → HTTP " + response.code());
    }
  }
}
