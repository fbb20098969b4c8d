package io.github.mondoowif.agent.it.apps;

import java.lang.reflect.Method;

/**
 * An application that bundles its own OkHttp 4, Jackson databind and Kotlin 1.8, as many do. It calls a URL
 * with its OkHttp, parses the answer with its ObjectMapper, and reports which library versions it used,
 * while the agent runs its own (relocated) OkHttp 5 and Kotlin 2 in the same JVM.
 *
 * <p>Versions are read reflectively: constants would be inlined at compile time from the test class path.
 */
public final class CoexistApp {
  private CoexistApp() {}

  public static void main(String[] args) throws Exception {
    System.out.println("property=" + AppSupport.fp(System.getProperty(AppSupport.PROPERTY)));
    System.out.println("okhttpVersion=" + Class.forName("okhttp3.OkHttp").getField("VERSION").get(null));
    System.out.println("kotlinVersion=" + Class.forName("kotlin.KotlinVersion").getField("CURRENT").get(null));
    Class<?> packageVersion = Class.forName("com.fasterxml.jackson.databind.cfg.PackageVersion");
    System.out.println("jacksonVersion=" + packageVersion.getField("VERSION").get(null));

    okhttp3.OkHttpClient client = new okhttp3.OkHttpClient();
    okhttp3.Request request = new okhttp3.Request.Builder().url(args[0]).build();
    String body;
    try (okhttp3.Response response = client.newCall(request).execute()) {
      body = response.body().string();
      System.out.println("httpCode=" + response.code());
    }
    Object mapper = Class.forName("com.fasterxml.jackson.databind.ObjectMapper").getConstructor().newInstance();
    Method readTree = mapper.getClass().getMethod("readTree", String.class);
    Object tree = readTree.invoke(mapper, body);
    Object greeting = tree.getClass().getMethod("get", String.class).invoke(tree, "greeting");
    System.out.println("greeting=" + greeting.getClass().getMethod("asText").invoke(greeting));
    System.out.println("okhttpFrom=" + okhttp3.OkHttpClient.class.getProtectionDomain().getCodeSource().getLocation());
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    System.out.flush();
  }
}
