package dev.ebb.batch;

import java.io.IOException;

/** Records one after the other; null after the last. */
@FunctionalInterface
public interface RecordSource {
  Record next() throws IOException;
}
