package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;

/**
 * One whole exchange: subject token in, credential out. The engine calls it from one thread at a time per
 * source. Internal, may change.
 */
@FunctionalInterface
public interface Exchanger {
  MondooCredential exchange() throws MondooWifException;
}
