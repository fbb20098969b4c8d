package io.github.mondoowif.benchmarks.apps;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * What a user would write instead of the library, in a fresh JVM: azure-identity's
 * {@code ManagedIdentityCredential} for the Azure token (it finds {@code MSI_ENDPOINT} itself: Cloud Shell,
 * the same flavour the library uses here), then a hand-written STS call with OkHttp and the smallest
 * possible "JSON parsing" (a string search; no validation of the credential at all, which the library does), and
 * no TLS set-up for a plain-http STS (the library skips it too).
 * Arguments: STS URL, audience, issuer.
 */
public final class AzureIdentityApp {
  private AzureIdentityApp() {}

  public static void main(String[] args) throws Exception {
    long mainAt = System.currentTimeMillis();
    ManagedIdentityCredential identity = new ManagedIdentityCredentialBuilder().build();
    AccessToken token = identity.getTokenSync(new TokenRequestContext().addScopes("https://management.azure.com/.default"));
    long tokenAt = System.currentTimeMillis();

    String json = "{\"audience\":\"" + args[1] + "\",\"issuer_uri\":\"" + args[2] + "\",\"jwt_token\":\""
        + token.getToken() + "\"}";
    // Plain http here (the loopback fake), so no TLS, exactly as the library does: OkHttp would otherwise build its
    // TLS socket factory for nothing, and this side would lose time the library does not spend.
    OkHttpClient http = args[0].startsWith("http://")
        ? new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build()
        : new OkHttpClient();
    Request request = new Request.Builder().url(args[0])
        .post(RequestBody.create(json, MediaType.get("application/json"))).build();
    String body;
    try (Response response = http.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IllegalStateException("STS answered " + response.code());
      }
      body = response.body().string();
    }
    String key = "\"base64_credential\":\"";
    int from = body.indexOf(key) + key.length();
    String credential = body.substring(from, body.indexOf('"', from));
    long credentialAt = System.currentTimeMillis();

    System.out.println("mainAt=" + mainAt);
    System.out.println("tokenAt=" + tokenAt);
    System.out.println("credentialAt=" + credentialAt);
    System.out.println("credential=" + credential);
    System.out.flush();
    System.exit(0); // reactor-netty's event loop would otherwise keep the JVM up a while
  }
}
