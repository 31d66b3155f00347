package dev.ebb.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with hand-written doubles: an in-memory store, a scripted model, a stepped clock. */
class BatchRunnerTest {
  @TempDir Path scratch;

  final MemoryStore store = new MemoryStore();
  final ScriptedModel model = new ScriptedModel();
  final SteppedClock clock = new SteppedClock();
  final List<Progress> progress = new CopyOnWriteArrayList<>();

  @Test
  void linesInMultiRecordMiniBatchesComeBackInOrderOneOutputPerObject() throws Exception {
    store.put("in", "data/a.csv", "1\n2\n3\n");
    store.put("in", "data/sub/b.csv", "4\n5\n");
    store.put("in", "data/", "");

    Progress end = run(job("s3://in/data/", "Line", "MultiRecord", 6, 1, "Line", null));

    assertThat(end.state()).isEqualTo("Completed");
    assertThat(store.text("out", "results/a.csv.out")).isEqualTo("1\n2\n3\n\n");
    assertThat(store.text("out", "results/sub/b.csv.out")).isEqualTo("4\n5\n\n");
    assertThat(store.contentType("out", "results/a.csv.out")).isEqualTo("text/csv");
    assertThat(model.requests).hasSize(2);
    assertThat(model.contentTypes).containsOnly("text/csv");
    assertThat(end)
        .extracting(
            Progress::objectsTotal,
            Progress::objectsDone,
            Progress::recordsDone,
            Progress::recordsFailed)
        .containsExactly(2, 2, 5L, 0L);
    assertThat(progress.get(progress.size() - 1)).isEqualTo(end);
    assertThat(end.resultLine())
        .isEqualTo("ebb-batch result=Completed objects=2/2 records=5 failed=0 reason=-");
    try (var left = Files.list(scratch)) {
      assertThat(left).as("scratch files removed").isEmpty();
    }
  }

  @Test
  void gzipIsDecompressedAndSingleRecordSendsEachLineAlone() throws Exception {
    store.put("in", "x/part.gz", gzip("a\nb\n"));

    Progress end = run(job("s3://in/x/", "Line", "SingleRecord", 6, 1, "Line", "Gzip"));

    assertThat(end.state()).isEqualTo("Completed");
    assertThat(model.requests).containsExactly("a", "b");
    assertThat(store.text("out", "results/part.gz.out")).isEqualTo("A\nB\n");
  }

  @Test
  void aFailingRecordFailsItsObjectAfterTheRetriesAndTheOthersStillComplete() throws Exception {
    store.put("in", "d/1-good.csv", "a\nb\n");
    store.put("in", "d/2-bad.csv", "c\npoison\nd\n");
    store.put("in", "d/3-good.csv", "e\n");

    Progress end = run(job("s3://in/d/", "Line", "SingleRecord", 6, 1, "Line", null));

    assertThat(end.state()).isEqualTo("Failed");
    assertThat(store.keys("out"))
        .containsExactly("results/1-good.csv.out", "results/3-good.csv.out");
    assertThat(model.requests.stream().filter("poison"::equals)).as("1 try + 3 retries").hasSize(4);
    assertThat(model.requests)
        .as("no record of a failed object is sent after it")
        .doesNotContain("d");
    assertThat(clock.slept)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(end.reason())
        .isEqualTo(
            "1 of 3 input objects failed: s3://in/d/2-bad.csv: record 2: HTTP 500 from POST"
                + " /invocations: the model failed on purpose (after 3 retries)");
    assertThat(end)
        .extracting(Progress::objectsDone, Progress::objectsFailed, Progress::recordsFailed)
        .containsExactly(2, 1, 1L);
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    store.put("in", "d/x.csv", "refuse\n");
    Progress end = run(job("s3://in/d/", "Line", "SingleRecord", 6, 1, "Line", null));
    assertThat(end.reason()).contains("HTTP 400").doesNotContain("retries");
    assertThat(model.requests).hasSize(1);
  }

  @Test
  void aRecordOverMaxPayloadFailsItsObject() throws Exception {
    store.put("in", "d/x.csv", "small\n" + "x".repeat(1024 * 1024 + 1) + "\n");
    Progress end = run(job("s3://in/d/", "Line", "MultiRecord", 1, 1, "Line", null));
    assertThat(end.state()).isEqualTo("Failed");
    assertThat(end.reason()).contains("s3://in/d/x.csv: record 2: ").contains("MaxPayloadInMB");
    assertThat(store.keys("out")).isEmpty();
  }

  @Test
  void upToMaxConcurrentTransformsRequestsAreInFlightAndTheOutputKeepsTheInputOrder()
      throws Exception {
    store.put("in", "d/x.csv", "slow\nr1\nr2\nr3\nr4\n");
    CountDownLatch slowArrived = new CountDownLatch(1);
    CountDownLatch othersDone = new CountDownLatch(2);
    model.answer =
        body -> {
          if (body.equals("slow")) {
            slowArrived.countDown();
            await(othersDone); // answers only after two later records were answered
          } else {
            await(slowArrived);
            othersDone.countDown();
          }
          return body.toUpperCase();
        };

    Progress end = run(job("s3://in/d/", "Line", "SingleRecord", 6, 3, "Line", null));

    assertThat(end.state()).isEqualTo("Completed");
    assertThat(store.text("out", "results/x.csv.out")).isEqualTo("SLOW\nR1\nR2\nR3\nR4\n");
    assertThat(model.maxInFlight.get()).isBetween(2, 3);
  }

  @Test
  void unsetSettingsAreAskedOfTheContainer() throws Exception {
    store.put("in", "d/x.csv", "a\nb\nc\n");
    model.executionParameters =
        Optional.of("{\"BatchStrategy\":\"SINGLE_RECORD\",\"MaxConcurrentTransforms\":2}");
    Progress end = run(job("s3://in/d/", "Line", null, null, null, "Line", null));
    assertThat(end.state()).isEqualTo("Completed");
    assertThat(model.requests).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(model.executionParameterCalls.get()).isEqualTo(1);
  }

  @Test
  void theModelIsWaitedForThenGivenUpOn() throws Exception {
    store.put("in", "d/x.csv", "a\n");
    model.pings = new ArrayList<>(List.of(-1, 503, 200));
    assertThat(run(job("s3://in/d/", "Line", "MultiRecord", 6, 1, null, null)).state())
        .isEqualTo("Completed");

    model.pings = new ArrayList<>(Collections.nCopies(1000, 503));
    BatchJob never =
        BatchJob.parse(
            """
            {"input":{"s3Uri":"s3://in/d/"},"output":{"s3OutputPath":"s3://out/r/"},
             "startupTimeoutSeconds":5}
            """);
    Progress end = run(never);
    assertThat(end.reason())
        .isEqualTo(
            "the model server did not answer GET /ping with 200 within 5 s (last: HTTP 503)");
  }

  @Test
  void anEmptyInputAndWhatTheBatcherDoesNotDoFailTheJob() throws Exception {
    assertThat(run(job("s3://in/none/", "Line", "MultiRecord", 6, 1, null, null)).reason())
        .isEqualTo("no S3 objects found under s3://in/none/");
    BatchJob chunked =
        BatchJob.parse(
            """
            {"input":{"s3Uri":"s3://in/d/"},"output":{"s3OutputPath":"s3://out/r/"},
             "maxPayloadInMB":0}
            """);
    assertThat(run(chunked).reason())
        .startsWith("not implemented by Ebb's batcher: maxPayloadInMB 0");
    assertThat(model.requests).isEmpty();
  }

  @Test
  void aManifestAndShardsPickTheObjects() throws Exception {
    store.put("in", "m/a", "1\n").put("in", "m/b", "2\n").put("in", "m/c", "3\n");
    store.put("in", "list.manifest", "[{\"prefix\":\"s3://in/m/\"},\"a\",\"b\",\"c\"]");
    BatchJob job =
        BatchJob.parse(
            """
            {"input":{"s3Uri":"s3://in/list.manifest","s3DataType":"ManifestFile","splitType":"Line"},
             "output":{"s3OutputPath":"s3://out/r"},"shard":{"index":1,"count":2}}
            """);
    Progress end = run(job);
    assertThat(end.objectsTotal()).isEqualTo(1);
    assertThat(store.keys("out")).containsExactly("r/b.out");
  }

  @Test
  void csvJoinedWithTheInputAndFiltered() throws Exception {
    store.put("in", "d/x.csv", "id1,3,4\nid2,5,6\n");
    model.answer =
        body -> String.join("\n", body.lines().map(l -> "p" + l.replace(",", "")).toList()) + "\n";
    BatchJob job =
        BatchJob.parse(
            """
            {"input":{"s3Uri":"s3://in/d/","contentType":"text/csv","splitType":"Line"},
             "output":{"s3OutputPath":"s3://out/r","accept":"text/csv","assembleWith":"Line"},
             "batchStrategy":"MultiRecord","maxPayloadInMB":6,"maxConcurrentTransforms":1,
             "dataProcessing":{"inputFilter":"$[1:]","joinSource":"Input","outputFilter":"$[0,-1]"}}
            """);
    assertThat(run(job).state()).isEqualTo("Completed");
    assertThat(model.requests).containsExactly("3,4\n5,6\n");
    assertThat(store.text("out", "r/x.csv.out")).isEqualTo("id1,p34\nid2,p56\n");
  }

  // ---- doubles and helpers ----

  Progress run(BatchJob job) throws InterruptedException {
    return new BatchRunner(
            job, new BatchRunner.Ports(store, model, clock, clock::sleep, progress::add, scratch))
        .run();
  }

  static BatchJob job(
      String s3Uri,
      String split,
      String strategy,
      Integer payload,
      Integer concurrent,
      String assemble,
      String compression) {
    return new BatchJob(
        null,
        new BatchJob.Input(s3Uri, null, "text/csv", split, compression),
        new BatchJob.Output("s3://out/results/", "text/csv", assemble, null),
        strategy,
        payload,
        concurrent,
        null,
        null,
        null,
        null,
        null);
  }

  static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  static void await(CountDownLatch latch) {
    try {
      // A guard against a deadlock if the runner sent one request at a time, not a timing check.
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the later records never came: one request at a time?");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static final class MemoryStore implements ObjectStore {
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final Map<String, String> types = new ConcurrentHashMap<>();

    MemoryStore put(String bucket, String key, String text) {
      return put(bucket, key, text.getBytes(StandardCharsets.UTF_8));
    }

    MemoryStore put(String bucket, String key, byte[] bytes) {
      objects.put(bucket + "/" + key, bytes);
      return this;
    }

    String text(String bucket, String key) {
      byte[] b = objects.get(bucket + "/" + key);
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    String contentType(String bucket, String key) {
      return types.get(bucket + "/" + key);
    }

    List<String> keys(String bucket) {
      return new TreeMap<>(objects)
          .keySet().stream()
              .filter(k -> k.startsWith(bucket + "/"))
              .map(k -> k.substring(bucket.length() + 1))
              .toList();
    }

    @Override
    public List<String> list(String bucket, String prefix) {
      return keys(bucket).stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public InputStream get(String bucket, String key) throws IOException {
      byte[] b = objects.get(bucket + "/" + key);
      if (b == null) {
        throw new IOException("GetObject s3://" + bucket + "/" + key + ": NoSuchKey");
      }
      return new ByteArrayInputStream(b);
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType, String kmsKeyId)
        throws IOException {
      objects.put(bucket + "/" + key, Files.readAllBytes(file));
      if (contentType != null) {
        types.put(bucket + "/" + key, contentType);
      }
    }
  }

  /** Echoes upper-cased; "poison" answers 500, "refuse" 400. */
  static final class ScriptedModel implements ModelClient {
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger executionParameterCalls = new AtomicInteger();
    volatile List<Integer> pings = new ArrayList<>();
    volatile Optional<String> executionParameters = Optional.empty();
    volatile Function<String, String> answer = String::toUpperCase;

    @Override
    public synchronized int ping() {
      return pings.isEmpty() ? 200 : pings.remove(0);
    }

    @Override
    public Optional<String> executionParameters() {
      executionParameterCalls.incrementAndGet();
      return executionParameters;
    }

    @Override
    public Response invoke(byte[] body, String contentType, String accept) {
      String text = new String(body, StandardCharsets.UTF_8);
      requests.add(text);
      contentTypes.add(String.valueOf(contentType));
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        if (text.contains("poison")) {
          return new Response(500, "the model failed on purpose".getBytes(StandardCharsets.UTF_8));
        }
        if (text.contains("refuse")) {
          return new Response(400, new byte[0]);
        }
        return new Response(200, answer.apply(text).getBytes(StandardCharsets.UTF_8));
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  /** A clock that moves only when something sleeps. */
  static final class SteppedClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final List<Duration> slept = new CopyOnWriteArrayList<>();

    synchronized void sleep(Duration d) {
      slept.add(d);
      now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
