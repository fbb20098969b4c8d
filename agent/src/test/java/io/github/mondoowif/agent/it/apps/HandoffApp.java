package io.github.mondoowif.agent.it.apps;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.internal.AgentHandoff;
import java.time.Duration;

/**
 * An application that also uses the spi jar: it takes the agent's credential through the hand-off instead of
 * exchanging a second time, although the agent's copy of the spi classes is relocated and distinct.
 */
public final class HandoffApp {
  private HandoffApp() {}

  public static void main(String[] args) throws Exception {
    System.out.println("handoffActive=" + AgentHandoff.active());
    MondooCredential c = AgentHandoff.system().credential(Duration.ofSeconds(10));
    System.out.println("handoff=" + c.fingerprint());
    System.out.println("handoffProvider=" + c.provider());
    System.out.println("handoffMrn=" + c.mrn());
    Class<?> agentsCopy = Class.forName("io.github.mondoowif.agent.shaded.wif.MondooCredential");
    System.out.println("distinctClasses=" + (agentsCopy != MondooCredential.class));
    System.out.flush();
  }
}
