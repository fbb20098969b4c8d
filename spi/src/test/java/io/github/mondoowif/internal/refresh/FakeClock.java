package io.github.mondoowif.internal.refresh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when the test says so. */
public final class FakeClock extends Clock {
  private volatile long millis;

  public FakeClock(Instant start) {
    this.millis = start.toEpochMilli();
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  public void setMillis(long millis) {
    this.millis = millis;
  }

  public void advance(Duration d) {
    this.millis += d.toMillis();
  }
}
