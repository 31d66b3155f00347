package dev.ebb.batch;

import dev.ebb.sagemaker.S3Location;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Runs one batch transform on this worker, as SageMaker runs one around a container: waits for
 * {@code GET /ping}, settles BatchStrategy, MaxPayloadInMB and MaxConcurrentTransforms ({@link
 * TransformSettings}), lists the input objects ({@link InputObjects}) and takes this worker's
 * share, then for each object: gets it (through gunzip for CompressionType Gzip), splits it ({@link
 * RecordSplitter}), filters and groups its records ({@link DataProcessor}, {@link MiniBatches}),
 * sends the mini-batches with at most MaxConcurrentTransforms in flight ({@link Invoker}),
 * assembles the answers in the input's order ({@link OutputAssembler}) and puts {@code
 * <relative>.out} under S3OutputPath.
 *
 * <p>Failures are SageMaker's (TransformOutput.S3OutputPath): "Batch transform doesn't upload
 * partially processed objects ... it creates an .out file only if the transform job succeeds on the
 * entire file", "uploads only the output for successfully processed objects. If any object fails in
 * the transform job batch transform marks the job as failed"; and (Troubleshooting) "a transform
 * job continues to process input files even if it fails to process one". Within a failed object no
 * new mini-batch is sent.
 */
public final class BatchRunner {
  /** How often the model is pinged while it starts (Ebb's; AWS documents none for batch). */
  static final Duration PING_INTERVAL = Duration.ofSeconds(1);

  /** Progress is reported at most this often, and at each object's end. */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  /** DescribeTransformJob's FailureReason is at most 1024 characters. */
  static final int MAX_REASON = 1024;

  /** What the runner is given. */
  public record Ports(
      ObjectStore store,
      ModelClient model,
      Clock clock,
      Pause pause,
      ProgressSink progress,
      Path scratch) {}

  private final BatchJob job;
  private final Ports ports;
  private final AtomicInteger objectsDone = new AtomicInteger();
  private final AtomicInteger objectsFailed = new AtomicInteger();
  private final AtomicLong recordsTotal = new AtomicLong();
  private final AtomicLong recordsDone = new AtomicLong();
  private final AtomicLong recordsFailed = new AtomicLong();
  private final List<String> failures = new ArrayList<>();
  private volatile int objectsTotal;
  private Instant lastReport = Instant.MIN;
  private boolean ended;

  public BatchRunner(BatchJob job, Ports ports) {
    this.job = job;
    this.ports = ports;
  }

  /** Runs the transform; returns how it ended (also reported to the progress sink). */
  public Progress run() throws InterruptedException {
    List<String> unsupported = new ArrayList<>(job.unsupported());
    DataProcessor.problem(job).ifPresent(unsupported::add);
    if (!unsupported.isEmpty()) {
      return end("not implemented by Ebb's batcher: " + String.join("; ", unsupported));
    }
    report("InProgress", null, true);
    Optional<String> notReady = waitForPing();
    if (notReady.isPresent()) {
      return end(notReady.get());
    }
    TransformSettings settings;
    try {
      settings =
          TransformSettings.resolve(
              job,
              TransformSettings.asksContainer(job)
                  ? ports.model().executionParameters()
                  : Optional.empty());
    } catch (IOException | IllegalArgumentException e) {
      return end(e.getMessage());
    }
    List<InputObject> objects;
    try {
      List<InputObject> all = inputObjects();
      if (all.isEmpty()) {
        return end("no S3 objects found under " + job.input().s3Uri());
      }
      objects = InputObjects.share(all, job.shardOrWhole());
    } catch (IOException | IllegalArgumentException e) {
      return end("cannot read the input " + job.input().s3Uri() + ": " + e.getMessage());
    }
    objectsTotal = objects.size();
    report("InProgress", null, true);
    transform(objects, settings);
    if (objectsFailed.get() > 0) {
      String reason;
      synchronized (failures) {
        reason =
            objectsFailed.get()
                + " of "
                + objectsTotal
                + " input objects failed: "
                + String.join("; ", failures);
      }
      return end(reason);
    }
    return finish("Completed", null);
  }

  private Optional<String> waitForPing() throws InterruptedException {
    Instant deadline = ports.clock().instant().plusSeconds(job.startupTimeoutOrDefault());
    int last = -1;
    while (true) {
      last = ports.model().ping();
      if (last == 200) {
        return Optional.empty();
      }
      if (!ports.clock().instant().isBefore(deadline)) {
        return Optional.of(
            "the model server did not answer GET /ping with 200 within "
                + job.startupTimeoutOrDefault()
                + " s (last: "
                + (last < 0 ? "no answer" : "HTTP " + last)
                + ")");
      }
      ports.pause().sleep(PING_INTERVAL);
    }
  }

  private List<InputObject> inputObjects() throws IOException {
    S3Location at = S3Location.parse(job.input().s3Uri());
    if (job.s3DataType().equals("ManifestFile")) {
      byte[] manifest;
      try (InputStream in = ports.store().get(at.bucket(), at.key())) {
        manifest = in.readAllBytes();
      }
      return InputObjects.fromManifest(manifest);
    }
    return InputObjects.fromListing(at, ports.store().list(at.bucket(), at.key()));
  }

  private void transform(List<InputObject> objects, TransformSettings settings)
      throws InterruptedException {
    DataProcessor processor = job.processesData() ? DataProcessor.of(job) : null;
    OutputAssembler assembler = new OutputAssembler(job.assembleWithLine(), processor);
    Invoker invoker =
        new Invoker(
            ports.model(),
            ports.pause(),
            job.invocationsMaxRetries(),
            job.input().contentType(),
            job.output().accept());
    Semaphore inFlight = new Semaphore(settings.maxConcurrent());
    ExecutorService workers =
        Executors.newFixedThreadPool(
            settings.maxConcurrent(),
            r -> {
              Thread t = new Thread(r, "ebb-batch-invoke");
              t.setDaemon(true);
              return t;
            });
    CountDownLatch finished = new CountDownLatch(objects.size());
    S3Location outputPath = S3Location.parse(job.output().s3OutputPath());
    try {
      for (InputObject object : objects) {
        ObjectRun run = new ObjectRun(object, object.output(outputPath), finished);
        produce(run, settings, processor, assembler, invoker, inFlight, workers);
      }
      finished.await();
    } finally {
      workers.shutdownNow();
    }
  }

  /** Reads, splits and sends one object's mini-batches; the last to finish puts the output. */
  private void produce(
      ObjectRun run,
      TransformSettings settings,
      DataProcessor processor,
      OutputAssembler assembler,
      Invoker invoker,
      Semaphore inFlight,
      ExecutorService workers)
      throws InterruptedException {
    Path input = null;
    try {
      run.open(Files.createTempFile(ports.scratch(), "out-", ".part"));
      input = Files.createTempFile(ports.scratch(), "in-", ".part");
      download(run.object, input);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 65536)) {
        MiniBatches batches =
            new MiniBatches(
                RecordSplitter.of(job.splitType(), in, settings.maxPayloadBytes()),
                settings.multiRecord(),
                settings.maxPayloadBytes(),
                processor == null ? r -> r : r -> filtered(processor, r));
        int seq = 0;
        while (!run.failed()) {
          MiniBatches.MiniBatch batch;
          try {
            batch = batches.next();
          } catch (RecordSplitter.RecordTooLarge e) {
            recordsTotal.incrementAndGet();
            run.fail("record " + (run.recordsRead + 1) + ": " + e.getMessage(), 1);
            break;
          } catch (IOException | IllegalArgumentException e) {
            run.fail("record " + (run.recordsRead + 1) + ": " + e.getMessage(), 0);
            break;
          }
          if (batch == null) {
            break;
          }
          run.recordsRead += batch.size();
          recordsTotal.addAndGet(batch.size());
          int s = seq++;
          run.submitted();
          inFlight.acquire();
          if (run.failed()) {
            inFlight.release();
            run.skipped(s);
            break;
          }
          workers.execute(
              () -> {
                try {
                  byte[] answer = invoker.invoke(batch.payload());
                  run.complete(s, assembler.assemble(batch, answer), batch.size());
                } catch (Invoker.Failed | RuntimeException e) {
                  // Any failure settles the mini-batch, or the object would never finish.
                  run.fail(s, describe(batch) + ": " + e.getMessage(), batch.size());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  run.fail(s, "interrupted", batch.size());
                } finally {
                  inFlight.release();
                }
              });
        }
      }
    } catch (IOException | RuntimeException e) {
      run.fail("cannot read it: " + e.getMessage(), 0);
    } finally {
      if (input != null) {
        deleteQuietly(input);
      }
      run.allSubmitted();
    }
  }

  private static Record filtered(DataProcessor processor, Record r) throws IOException {
    try {
      return processor.inputFiltered(r);
    } catch (IllegalArgumentException e) {
      throw new IOException("InputFilter: " + e.getMessage(), e);
    }
  }

  private static String describe(MiniBatches.MiniBatch batch) {
    return batch.size() == 1
        ? "record " + (batch.first() + 1)
        : "records " + (batch.first() + 1) + "-" + (batch.first() + batch.size());
  }

  private void download(InputObject object, Path target) throws IOException {
    try (InputStream raw = ports.store().get(object.bucket(), object.key());
        InputStream in = job.gzip() ? new GZIPInputStream(raw, 65536) : raw;
        OutputStream out = Files.newOutputStream(target)) {
      in.transferTo(out);
    }
  }

  /** One object's progress: its mini-batches' answers put in order, its output put at the end. */
  private final class ObjectRun {
    final InputObject object;
    final S3Location output;
    final CountDownLatch finished;
    final TreeMap<Integer, byte[]> waiting = new TreeMap<>();
    Path file;
    OutputStream out;
    int recordsRead;
    int next;
    int submitted;
    int settled;
    boolean producing = true;
    String failure;
    boolean done;

    ObjectRun(InputObject object, S3Location output, CountDownLatch finished) {
      this.object = object;
      this.output = output;
      this.finished = finished;
    }

    synchronized void open(Path file) throws IOException {
      this.file = file;
      this.out = Files.newOutputStream(file);
    }

    synchronized boolean failed() {
      return failure != null;
    }

    synchronized void submitted() {
      submitted++;
    }

    synchronized void skipped(int seq) {
      settled++;
    }

    void complete(int seq, byte[] bytes, int records) {
      recordsDone.addAndGet(records);
      boolean last;
      synchronized (this) {
        settled++;
        if (failure == null) {
          waiting.put(seq, bytes);
          try {
            while (waiting.containsKey(next)) {
              out.write(waiting.remove(next));
              next++;
            }
          } catch (IOException e) {
            failure = "cannot write its output: " + e.getMessage();
          }
        }
        last = settledAll();
      }
      if (last) {
        finish();
      }
      maybeReport();
    }

    void fail(int seq, String reason, int records) {
      synchronized (this) {
        settled++;
      }
      fail(reason, records);
    }

    void fail(String reason, int records) {
      recordsFailed.addAndGet(records);
      boolean last;
      synchronized (this) {
        if (failure == null) {
          failure = reason;
        }
        last = settledAll();
      }
      if (last) {
        finish();
      }
    }

    void allSubmitted() {
      boolean last;
      synchronized (this) {
        producing = false;
        last = settledAll();
      }
      if (last) {
        finish();
      }
    }

    /** Called with the lock held: true once, when nothing more will happen to the object. */
    private boolean settledAll() {
      if (done || producing || settled < submitted) {
        return false;
      }
      done = true;
      return true;
    }

    private void finish() {
      try {
        String reason;
        synchronized (this) {
          reason = failure;
          if (out != null) {
            out.close();
          }
        }
        if (reason == null) {
          try {
            ports
                .store()
                .put(
                    output.bucket(),
                    output.key(),
                    file,
                    job.output().accept(),
                    job.output().kmsKeyId());
          } catch (IOException | RuntimeException e) {
            reason = "cannot put " + output + ": " + e.getMessage();
          }
        }
        if (reason == null) {
          objectsDone.incrementAndGet();
        } else {
          objectsFailed.incrementAndGet();
          synchronized (failures) {
            failures.add(object.uri() + ": " + reason);
          }
        }
      } catch (IOException e) {
        objectsFailed.incrementAndGet();
        synchronized (failures) {
          failures.add(object.uri() + ": cannot write its output: " + e.getMessage());
        }
      } finally {
        if (file != null) {
          deleteQuietly(file);
        }
        report("InProgress", null, true);
        finished.countDown();
      }
    }
  }

  private void maybeReport() {
    report("InProgress", null, false);
  }

  private synchronized void report(String state, String reason, boolean force) {
    Instant now = ports.clock().instant();
    if (ended || (!force && now.isBefore(lastReport.plus(PROGRESS_INTERVAL)))) {
      return;
    }
    lastReport = now;
    ports.progress().report(snapshot(state, reason, now));
  }

  private Progress snapshot(String state, String reason, Instant now) {
    return new Progress(
        state,
        objectsTotal,
        objectsDone.get(),
        objectsFailed.get(),
        recordsTotal.get(),
        recordsDone.get(),
        recordsFailed.get(),
        reason,
        now);
  }

  private Progress end(String reason) {
    return finish("Failed", reason);
  }

  private synchronized Progress finish(String state, String reason) {
    String r =
        reason == null || reason.length() <= MAX_REASON
            ? reason
            : reason.substring(0, MAX_REASON - 1) + "…";
    Progress last = snapshot(state, r, ports.clock().instant());
    lastReport = last.at();
    ended = true;
    ports.progress().report(last);
    return last;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // scratch space; the pod's emptyDir goes with it
    }
  }
}
