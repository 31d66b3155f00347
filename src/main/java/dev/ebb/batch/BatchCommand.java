package dev.ebb.batch;

import dev.ebb.sagemaker.S3Objects;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code java -jar quarkus-run.jar batch --job /path/job.json} (or the document in {@value
 * #JOB_ENV}): runs one batch transform beside the model server and exits, without starting the
 * operator. See docs/batch-local.md.
 *
 * <p>Exit codes: {@value #COMPLETED} the transform completed; {@value #FAILED} it failed (an object
 * failed, the model never became healthy, S3 refused, or the job asks for what the batcher does not
 * do); {@value #USAGE} bad arguments or a job document CreateTransformJob would refuse. The last
 * line on stdout is always {@code ebb-batch result=Completed|Failed objects=DONE/TOTAL records=DONE
 * failed=FAILED reason=...}.
 */
public final class BatchCommand {
  public static final String JOB_ENV = "EBB_BATCH_JOB";

  /** Where input objects and outputs are staged (default: java.io.tmpdir). */
  public static final String SCRATCH_ENV = "EBB_BATCH_SCRATCH";

  /** Set by the Job controller in each pod of an Indexed Job: this worker's index. */
  public static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

  /** The port the batcher serves its progress on ({@link ProgressServer}), if set. */
  public static final String PROGRESS_PORT_ENV = "EBB_BATCH_PROGRESS_PORT";

  /** Where the final progress JSON goes (a pod's termination-message path), if set. */
  public static final String RESULT_ENV = "EBB_BATCH_RESULT_FILE";

  static final int COMPLETED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  static final String USAGE_TEXT =
      "usage: batch --job FILE.json   (or the job document in the environment variable "
          + JOB_ENV
          + ")";

  private BatchCommand() {}

  /**
   * The same command without Quarkus's launcher, for a container that runs plain {@code java -cp
   * <the fast-jar's classpath> dev.ebb.batch.BatchCommand --job FILE}, as the model fetcher runs.
   */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** The command with S3 from the environment (as the model fetcher's). */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, e -> new S3ObjectStore(S3Objects.fromEnvironment(e, out)));
  }

  static int run(
      String[] args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Function<Map<String, String>, ObjectStore> stores) {
    String document;
    try {
      document = document(args, env);
    } catch (IllegalArgumentException | IOException e) {
      err.println("ebb-batch: " + e.getMessage());
      err.println(USAGE_TEXT);
      out.println(failedLine("bad arguments: " + e.getMessage()));
      return USAGE;
    }
    BatchJob job;
    try {
      job = BatchJob.parse(document);
    } catch (BatchJob.Invalid e) {
      err.println("ebb-batch: invalid job document: " + e.getMessage());
      out.println(failedLine("invalid job document: " + e.getMessage()));
      return USAGE;
    }
    job = indexed(job, env);
    ProgressSink file =
        job.progressFile() == null
            ? ProgressSink.NONE
            : new ProgressFile(Path.of(job.progressFile()), err);
    ProgressServer served;
    try {
      served = progressServer(env);
    } catch (IOException | NumberFormatException e) {
      out.println(failedLine("cannot serve progress on " + env.get(PROGRESS_PORT_ENV) + ": " + e));
      return FAILED;
    }
    ProgressSink progress =
        served == null
            ? file
            : p -> {
              file.report(p);
              served.report(p);
            };
    Path scratch = Path.of(env.getOrDefault(SCRATCH_ENV, System.getProperty("java.io.tmpdir")));
    ObjectStore store = stores.apply(env);
    try {
      Files.createDirectories(scratch);
      Progress result =
          new BatchRunner(
                  job,
                  new BatchRunner.Ports(
                      store,
                      new HttpModelClient(
                          job.modelUrlOrDefault(),
                          Duration.ofSeconds(job.invocationsTimeoutSeconds())),
                      Clock.systemUTC(),
                      Pause.REAL,
                      progress,
                      scratch))
              .run();
      out.println(result.resultLine());
      writeResult(env, result, err);
      return result.state().equals("Completed") ? COMPLETED : FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println(failedLine("interrupted"));
      return FAILED;
    } catch (IOException e) {
      out.println(failedLine("scratch directory " + scratch + ": " + e.getMessage()));
      return FAILED;
    } finally {
      if (served != null) {
        served.close();
      }
      if (store instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // exiting anyway
        }
      }
    }
  }

  private static ProgressServer progressServer(Map<String, String> env) throws IOException {
    String port = env.get(PROGRESS_PORT_ENV);
    return port == null || port.isBlank() ? null : ProgressServer.start(Integer.parseInt(port));
  }

  /**
   * A worker of an Indexed Kubernetes Job takes its share from {@value #INDEX_ENV}, which the Job
   * controller sets in each pod: one document serves every worker.
   */
  static BatchJob indexed(BatchJob job, Map<String, String> env) {
    String index = env.get(INDEX_ENV);
    if (index == null || index.isBlank()) {
      return job;
    }
    int count = job.shard() == null ? 1 : job.shard().count();
    return new BatchJob(
        job.modelUrl(),
        job.input(),
        job.output(),
        job.batchStrategy(),
        job.maxPayloadInMB(),
        job.maxConcurrentTransforms(),
        job.dataProcessing(),
        job.progressFile(),
        new BatchJob.Shard(Integer.parseInt(index.trim()), count),
        job.modelClientConfig(),
        job.startupTimeoutSeconds());
  }

  /**
   * The final progress, written whole to {@value #RESULT_ENV}'s file when set: a Job's pod points
   * it at its termination-message path, where kubelet keeps it in the pod's status for the
   * operator.
   */
  private static void writeResult(Map<String, String> env, Progress result, PrintStream err) {
    String file = env.get(RESULT_ENV);
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      Files.writeString(Path.of(file), result.json(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("ebb-batch: cannot write the result to " + file + ": " + e.getMessage());
    }
  }

  private static String document(String[] args, Map<String, String> env) throws IOException {
    if (args.length == 0) {
      String fromEnv = env.get(JOB_ENV);
      if (fromEnv == null || fromEnv.isBlank()) {
        throw new IllegalArgumentException("no --job FILE and no " + JOB_ENV);
      }
      return fromEnv;
    }
    if (args.length == 2 && args[0].equals("--job")) {
      return Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException("unexpected arguments: " + String.join(" ", args));
  }

  private static String failedLine(String reason) {
    return new Progress("Failed", 0, 0, 0, 0, 0, 0, reason, Instant.now()).resultLine();
  }
}
