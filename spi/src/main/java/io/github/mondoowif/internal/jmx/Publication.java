package io.github.mondoowif.internal.jmx;

/** A published (or to-be-published) status MXBean. Free of {@code javax.management} types. Internal. */
public interface Publication {
  Publication NONE = new Publication() {
    @Override
    public void withdraw() {}

    @Override
    public String objectName() {
      return null;
    }
  };

  /** Unregisters the MXBean, or cancels its registration. Idempotent, never throws. */
  void withdraw();

  /** The name it is registered under, or {@code null} while it is not registered. */
  String objectName();
}
