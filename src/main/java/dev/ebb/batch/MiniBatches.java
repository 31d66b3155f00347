package dev.ebb.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups an object's records into the payloads of {@code POST /invocations}, by BatchStrategy
 * (CreateTransformJob): {@code SingleRecord} sends "individual records in each request", the
 * record's data alone ("padding is removed"); {@code MultiRecord} sends "the maximum number of
 * records in each request, up to the MaxPayloadInMB limit", the records as they lie in the object
 * ("Padding is not removed"). Mini-batches never span objects (developer guide: "It doesn't combine
 * mini-batches from different input files").
 *
 * <p>Each record is sent as {@code toSend} makes it (the InputFilter), and the mini-batch keeps the
 * records as read for JoinSource. A record that alone exceeds the limit throws {@link
 * RecordSplitter.RecordTooLarge}.
 */
public final class MiniBatches {
  /** A filter of one record, that may refuse it. */
  @FunctionalInterface
  public interface Filter {
    Record apply(Record record) throws IOException;
  }

  /**
   * One request's worth of records.
   *
   * @param first the index of its first record in the object
   * @param records the records as read (before the InputFilter)
   * @param payload the request body
   */
  public record MiniBatch(int first, List<Record> records, byte[] payload) {
    public int size() {
      return records.size();
    }
  }

  private final RecordSource records;
  private final boolean multiRecord;
  private final long maxPayloadBytes;
  private final Filter toSend;
  private IOException pendingFailure;
  private Record pendingRead;
  private Record pendingSent;
  private int index;

  public MiniBatches(
      RecordSource records, boolean multiRecord, long maxPayloadBytes, Filter toSend) {
    this.records = records;
    this.multiRecord = multiRecord;
    this.maxPayloadBytes = maxPayloadBytes;
    this.toSend = toSend;
  }

  /** The next mini-batch, or null after the last. */
  public MiniBatch next() throws IOException {
    if (pendingFailure != null) {
      IOException failure = pendingFailure;
      pendingFailure = null;
      throw failure;
    }
    if (!fill()) {
      return null;
    }
    int first = index;
    List<Record> read = new ArrayList<>();
    if (!multiRecord) {
      byte[] payload = pendingSent.content();
      check(payload.length);
      read.add(take());
      return new MiniBatch(first, read, payload);
    }
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    check(pendingSent.framed().length);
    do {
      if (payload.size() + (long) pendingSent.framed().length > maxPayloadBytes) {
        break;
      }
      payload.write(pendingSent.framed());
      read.add(take());
    } while (fillOrDefer());
    return new MiniBatch(first, List.copyOf(read), payload.toByteArray());
  }

  private boolean fill() throws IOException {
    if (pendingRead == null) {
      pendingRead = records.next();
      if (pendingRead == null) {
        return false;
      }
      pendingSent = toSend.apply(pendingRead);
    }
    return true;
  }

  /** Reads ahead; a failure there waits for the next call, after the records before it. */
  private boolean fillOrDefer() {
    try {
      return fill();
    } catch (IOException e) {
      pendingFailure = e;
      return false;
    }
  }

  private Record take() {
    Record r = pendingRead;
    pendingRead = null;
    pendingSent = null;
    index++;
    return r;
  }

  private void check(long size) throws RecordSplitter.RecordTooLarge {
    if (size > maxPayloadBytes) {
      throw new RecordSplitter.RecordTooLarge(size, maxPayloadBytes);
    }
  }
}
