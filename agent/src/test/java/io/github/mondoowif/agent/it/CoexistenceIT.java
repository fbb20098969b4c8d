package io.github.mondoowif.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.agent.it.apps.CoexistApp;
import io.github.mondoowif.agent.it.apps.HandoffApp;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.testing.FakeMondoo;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoexistenceIT {
  private final FakeIdentity fake = new FakeIdentity();
  @StartStop final MockWebServer appBackend = new MockWebServer();

  CoexistenceIT() throws Exception {}

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void appWithItsOwnOkHttp4JacksonAndKotlin_runsUnharmedBesideTheAgent() throws Exception {
    appBackend.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"greeting\":\"hello from the app's backend\"}").build());

    Jvm.Result r = Jvm.withAgent(fake.agentArgs()).env("MSI_ENDPOINT", fake.msiEndpoint()).withAppLibraries()
        .run(CoexistApp.class, appBackend.url("/data").toString());

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("property")).isEqualTo(Secrets.fingerprint(fake.issued.get(0)));
    assertThat(r.value("okhttpVersion")).isEqualTo("4.12.0");
    assertThat(r.value("kotlinVersion")).isEqualTo("1.8.21");
    assertThat(r.value("jacksonVersion")).isEqualTo("2.17.2");
    assertThat(r.value("okhttpFrom")).contains("okhttp-4.12.0.jar");
    assertThat(r.value("httpCode")).isEqualTo("200");
    assertThat(r.value("greeting")).isEqualTo("hello from the app's backend");
    RecordedRequest appRequest = appBackend.takeRequest();
    assertThat(appRequest.getUrl().encodedPath()).isEqualTo("/data");
    assertThat(appRequest.getHeaders().get("User-Agent")).isEqualTo("okhttp/4.12.0");
  }

  @Test
  void appUsingTheSpiJar_takesTheAgentsCredentialWithoutASecondExchange() throws Exception {
    Jvm.Result r = Jvm.withAgent(fake.agentArgs()).env("MSI_ENDPOINT", fake.msiEndpoint())
        .classPath(System.getProperty("java.class.path"))
        .run(HandoffApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("handoffActive")).isEqualTo("true");
    assertThat(r.value("handoff")).isEqualTo(Secrets.fingerprint(fake.issued.get(0)));
    assertThat(r.value("handoffProvider")).isEqualTo("agent:azure-cloud-shell");
    assertThat(r.value("handoffMrn")).isEqualTo(FakeMondoo.MRN);
    assertThat(r.value("distinctClasses")).isEqualTo("true");
    assertThat(fake.exchanges.get()).isEqualTo(1);
  }
}
