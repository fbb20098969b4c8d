package io.github.mondoowif.internal.json;

import java.io.IOException;

/** A body that is not the JSON we expect. The message never quotes the input. Internal, may change. */
public final class MalformedJsonException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedJsonException(String message) {
    super(message);
  }
}
