package io.github.mondoowif.agent.internal;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.internal.AgentHandoff;

/**
 * The system-property output and the agent's side of the in-JVM hand-off: {@code mondoo.config.base64}
 * holds the current credential, {@code mondoo.wif.agent.provider} the provider it came from, and
 * {@code mondoo.wif.agent.active=true} tells an application using the spi jar to take the credential from
 * here rather than exchange a second time. Only JDK types cross: the agent's copy of the spi is relocated,
 * so its classes are not the application's. Internal.
 *
 * <p>A system property is visible to JMX, {@code jcmd VM.system_properties} and Spring Boot's
 * {@code /actuator/env}; the child-environment and file outputs avoid that exposure.
 */
final class PropertyOutput {
  static final String CREDENTIAL = AgentHandoff.CREDENTIAL_PROPERTY;
  static final String ACTIVE = AgentHandoff.ACTIVE_PROPERTY;
  static final String PROVIDER = AgentHandoff.PROVIDER_PROPERTY;

  /** Marks the agent as the JVM's credential source; set before {@code main()} runs. */
  void markActive() {
    System.setProperty(ACTIVE, "true");
  }

  void publish(MondooCredential credential) {
    // Provider first: a reader that sees the new credential also sees where it came from.
    System.setProperty(PROVIDER, credential.provider());
    System.setProperty(CREDENTIAL, credential.base64Config());
  }
}
