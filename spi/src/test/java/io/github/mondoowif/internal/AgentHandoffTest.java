package io.github.mondoowif.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.testing.FakeMondoo;
import io.github.mondoowif.internal.refresh.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class AgentHandoffTest {
  private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final FakeClock clock = new FakeClock(start);
  private final Map<String, String> props = new ConcurrentHashMap<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private Runnable onSleep = () -> {};
  private final AgentHandoff handoff = new AgentHandoff(props::get, clock, d -> {
    sleeps.add(d);
    clock.advance(d);
    onSleep.run();
  });

  private void agentActive() {
    props.put(AgentHandoff.ACTIVE_PROPERTY, "true");
  }

  @Test
  void current_agentNotActive_isEmptyEvenWithAValue() {
    props.put(AgentHandoff.CREDENTIAL_PROPERTY, FakeMondoo.base64Credential(start.plusSeconds(3600)));

    assertThat(handoff.isActive()).isFalse();
    assertThat(handoff.current()).isEmpty();
  }

  @Test
  void current_activeWithValidValue_returnsParsedCredentialNamingTheAgentsProvider() {
    String value = FakeMondoo.base64Credential(start.plusSeconds(3600));
    agentActive();
    props.put(AgentHandoff.CREDENTIAL_PROPERTY, value);
    props.put(AgentHandoff.PROVIDER_PROPERTY, "azure-cloud-shell");

    MondooCredential c = handoff.current().orElseThrow();

    assertThat(c.base64Config()).isEqualTo(value);
    assertThat(c.mrn()).isEqualTo(FakeMondoo.MRN);
    assertThat(c.expiresAt()).isEqualTo(start.plusSeconds(3600));
    assertThat(c.provider()).isEqualTo("agent:azure-cloud-shell");
  }

  @Test
  void current_sameValueAskedTwice_parsesOnce() {
    agentActive();
    props.put(AgentHandoff.CREDENTIAL_PROPERTY, FakeMondoo.base64Credential(start.plusSeconds(3600)));

    assertThat(handoff.current().orElseThrow()).isSameAs(handoff.current().orElseThrow());
  }

  @Test
  void current_valueReplacedByTheAgent_returnsTheNewCredential() {
    agentActive();
    props.put(AgentHandoff.CREDENTIAL_PROPERTY, FakeMondoo.base64Credential(start.plusSeconds(3600)));
    MondooCredential first = handoff.current().orElseThrow();
    String second = FakeMondoo.base64Credential(start.plusSeconds(7200));

    props.put(AgentHandoff.CREDENTIAL_PROPERTY, second);

    assertThat(handoff.current().orElseThrow().base64Config()).isEqualTo(second).isNotEqualTo(first.base64Config());
  }

  @Test
  void current_expiredValue_isEmpty() {
    agentActive();
    props.put(AgentHandoff.CREDENTIAL_PROPERTY, FakeMondoo.base64Credential(start.plusSeconds(60)));
    assertThat(handoff.current()).isPresent();

    clock.advance(Duration.ofSeconds(60));

    assertThat(handoff.current()).isEmpty();
  }

  @Test
  void credential_publishedWhileWaiting_returnsItWithoutWaitingTheFullTime() throws Exception {
    agentActive();
    String value = FakeMondoo.base64Credential(start.plusSeconds(3600));
    onSleep = () -> {
      if (sleeps.size() == 3) {
        props.put(AgentHandoff.CREDENTIAL_PROPERTY, value);
      }
    };

    MondooCredential c = handoff.credential(Duration.ofSeconds(10));

    assertThat(c.base64Config()).isEqualTo(value);
    assertThat(sleeps).hasSize(3).allMatch(d -> d.equals(AgentHandoff.POLL));
  }

  @Test
  void credential_nothingPublished_failsAfterMaxWaitSayingSo() {
    agentActive();

    assertThatThrownBy(() -> handoff.credential(Duration.ofMillis(120)))
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessageContaining("within 120ms")
        .hasMessageContaining("has not published a credential yet");
    assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(20));
  }

  @Test
  void credential_invalidValue_failsWithFingerprintNeverTheValue() {
    agentActive();
    String junk = FakeMondoo.base64("{\"mrn\":\"x\",\"private_key\":\"not a key\",\"certificate\":\"c\"}");
    props.put(AgentHandoff.CREDENTIAL_PROPERTY, junk);

    assertThatThrownBy(() -> handoff.credential(Duration.ZERO))
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessageContaining("sha256=" + Secrets.fingerprint(junk))
        .hasMessageContaining("private_key")
        .hasMessageNotContaining(junk);
  }

  @Test
  void credential_expiredAndNotRefreshed_failsNamingTheExpiry() {
    agentActive();
    props.put(AgentHandoff.CREDENTIAL_PROPERTY, FakeMondoo.base64Credential(start.plusSeconds(30)));
    handoff.current();
    clock.advance(Duration.ofSeconds(31));

    assertThatThrownBy(() -> handoff.credential(Duration.ZERO))
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessageContaining("expired at " + start.plusSeconds(30));
  }

  @Test
  void credential_noArgument_waitsForTheConfiguredWaitTimeout() {
    agentActive();
    props.put("mondoo.wif.wait-timeout", "200ms");

    assertThatThrownBy(handoff::credential).hasMessageContaining("within 200ms");
    assertThat(sleeps.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(200);
  }

  @Test
  void credential_agentNotActive_failsAtOnceSayingSo() {
    assertThatThrownBy(() -> handoff.credential(Duration.ZERO))
        .hasMessageContaining("not active");
  }

  @Test
  void toString_withCredential_showsFingerprintNotSecret() {
    agentActive();
    String value = FakeMondoo.base64Credential(start.plusSeconds(3600));
    props.put(AgentHandoff.CREDENTIAL_PROPERTY, value);
    handoff.current();

    assertThat(handoff.toString()).contains("sha256=" + Secrets.fingerprint(value)).doesNotContain(value);
  }

}
