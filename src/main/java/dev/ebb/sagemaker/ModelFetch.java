package dev.ebb.sagemaker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The model fetcher of backend local: the init container of every model pod runs this class, with
 * plain {@code java} on the operator image's classpath (no Quarkus, no CDI), to put a component's
 * {@code modelDataUrl} into {@code /opt/ml/model} before the model server starts.
 *
 * <pre>
 * java -cp '/deployments/app/*:/deployments/lib/main/*:/deployments/lib/boot/*' \
 *     dev.ebb.sagemaker.ModelFetch s3://bucket/prefix/ /opt/ml/model [--timeout-seconds N]
 * </pre>
 *
 * <ul>
 *   <li>An S3 prefix (ending in {@code /}): every object under it is copied to its path relative to
 *       the prefix (ListObjectsV2, paginated; {@value #PARALLEL_DOWNLOADS} objects at a time).
 *   <li>An object ending in {@code .tar.gz}: streamed through gunzip and a tar reader straight into
 *       the directory ({@link ModelArchive}).
 * </ul>
 *
 * <p>Keys or entries that would land outside the directory are refused. Credentials: the SDK's
 * default chain (IRSA, EKS Pod Identity, environment, profile, instance metadata); when it finds
 * none, requests go unsigned (public buckets; Ebb's simulator), said once on stdout. Region: {@code
 * AWS_REGION}, else us-east-1 with cross-region access. {@value #ENDPOINT_ENV}, when set, replaces
 * S3's endpoint and addresses buckets by path (Ebb sets it from {@code ebb.aws.endpoint-override}).
 *
 * <p>Exit codes: 0 done (one summary line on stdout), {@value #FAILED} failed, {@value #USAGE} bad
 * arguments, {@value #TIMED_OUT} out of time; a failure prints one line on stderr naming the URL
 * and the reason (NoSuchKey, AccessDenied, empty prefix, timeout...).
 */
public final class ModelFetch {
  /** The fetcher's S3 endpoint override (a URL), set by Ebb from its own endpoint override. */
  public static final String ENDPOINT_ENV = "EBB_S3_ENDPOINT";

  static final int FAILED = 1;
  static final int USAGE = 2;

  /** As coreutils' timeout(1), which the fetch ran under before. */
  static final int TIMED_OUT = 124;

  static final int PARALLEL_DOWNLOADS = 4;
  private static final String NAME = "fetch-model";

  private ModelFetch() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** The command line: parse, fetch within the timeout, report. Returns the exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Request request;
    try {
      request = Request.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(NAME + ": " + e.getMessage());
      err.println(NAME + ": usage: ModelFetch <s3-url> <dir> [--timeout-seconds N]");
      return USAGE;
    }
    ExecutorService worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, NAME);
              t.setDaemon(true);
              return t;
            });
    long started = System.nanoTime();
    Future<Summary> fetch =
        worker.submit(
            () -> {
              try (S3Client s3 = client(env, defaultCredentials(out))) {
                return fetch(s3, request.url(), request.dir());
              }
            });
    try {
      Summary summary =
          request.timeout() == null
              ? fetch.get()
              : fetch.get(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
      out.println(summary.line(request.url(), request.dir(), System.nanoTime() - started));
      return 0;
    } catch (TimeoutException e) {
      err.println(
          NAME
              + ": "
              + request.url()
              + ": timeout: not fetched within "
              + request.timeout().toSeconds()
              + " s (startup.modelDownloadTimeoutSeconds)");
      return TIMED_OUT;
    } catch (ExecutionException e) {
      err.println(NAME + ": " + request.url() + ": " + reason(e.getCause()));
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(NAME + ": " + request.url() + ": interrupted");
      return FAILED;
    } finally {
      worker.shutdownNow();
    }
  }

  /** The parsed command line. {@code timeout} is null for none. */
  record Request(String url, Path dir, Duration timeout) {
    static Request parse(String[] args) {
      List<String> positional = new ArrayList<>();
      Duration timeout = null;
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--timeout-seconds")) {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("--timeout-seconds needs a number");
          }
          try {
            timeout = Duration.ofSeconds(Long.parseLong(args[++i]));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout-seconds needs a number: " + args[i]);
          }
          if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout-seconds must be positive: " + args[i]);
          }
        } else if (args[i].startsWith("--")) {
          throw new IllegalArgumentException("unknown option " + args[i]);
        } else {
          positional.add(args[i]);
        }
      }
      if (positional.size() != 2) {
        throw new IllegalArgumentException("expected an S3 URL and a directory");
      }
      S3Location.parse(positional.get(0));
      return new Request(positional.get(0), Path.of(positional.get(1)), timeout);
    }
  }

  /** Whether {@code at} names one {@code .tar.gz} object (unpacked) rather than a prefix. */
  static boolean archive(S3Location at) {
    return at.key().endsWith(".tar.gz");
  }

  /** What was fetched. {@code files} is the number of files unpacked from an archive (or -1). */
  record Summary(long objects, long bytes, long files) {
    String line(String url, Path dir, long nanos) {
      return String.format(
          Locale.ROOT,
          "%s: %s -> %s: %d object%s%s, %d bytes, %.1f s",
          NAME,
          url,
          dir,
          objects,
          objects == 1 ? "" : "s",
          files < 0 ? "" : " (" + files + " files unpacked)",
          bytes,
          nanos / 1e9);
    }
  }

  /**
   * Fetches {@code url} into {@code dir} with {@code s3}: a {@code .tar.gz} object unpacked, else
   * every object under the prefix. Throws S3's errors as the SDK reports them.
   */
  static Summary fetch(S3Client s3, String url, Path dir) throws IOException {
    S3Location at = S3Location.parse(url);
    Path root = Files.createDirectories(dir.toAbsolutePath().normalize()).toRealPath();
    if (archive(at)) {
      try (ResponseInputStream<GetObjectResponse> in =
          s3.getObject(r -> r.bucket(at.bucket()).key(at.key()))) {
        ModelArchive.Unpacked unpacked = ModelArchive.extract(in, root);
        return new Summary(1, unpacked.bytes(), unpacked.files());
      }
    }
    return copyPrefix(s3, at, root);
  }

  private static Summary copyPrefix(S3Client s3, S3Location at, Path root) throws IOException {
    String prefix = at.key().isEmpty() || at.key().endsWith("/") ? at.key() : at.key() + "/";
    ExecutorService downloads =
        Executors.newFixedThreadPool(
            PARALLEL_DOWNLOADS,
            r -> {
              Thread t = new Thread(r, NAME + "-download");
              t.setDaemon(true);
              return t;
            });
    List<Future<Long>> pending = new ArrayList<>();
    AtomicInteger listed = new AtomicInteger();
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(r -> r.bucket(at.bucket()).prefix(prefix)).contents()) {
        listed.incrementAndGet();
        String relative = object.key().substring(prefix.length());
        if (relative.isEmpty()) {
          continue; // the prefix's own "directory" marker
        }
        Path target = ModelArchive.inside(root, relative, "S3 key '" + object.key() + "' as");
        if (object.key().endsWith("/")) {
          Files.createDirectories(target);
          continue;
        }
        String key = object.key();
        pending.add(downloads.submit(() -> download(s3, at.bucket(), key, root, target)));
      }
      if (pending.isEmpty()) {
        throw new EmptyPrefix(
            listed.get() == 0
                ? "empty prefix: no objects under it"
                : "empty prefix: only directory markers under it");
      }
      long bytes = 0;
      for (Future<Long> download : pending) {
        bytes += download.get();
      }
      return new Summary(pending.size(), bytes, -1);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      downloads.shutdownNow();
    }
  }

  private static long download(S3Client s3, String bucket, String key, Path root, Path target)
      throws IOException {
    Path placed = ModelArchive.placed(root, target, key);
    try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
      return Files.copy(in, placed, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A prefix with no object under it: most likely a typo, never a model. */
  static final class EmptyPrefix extends IOException {
    EmptyPrefix(String message) {
      super(message);
    }
  }

  /**
   * The S3 client: {@code AWS_REGION} (else us-east-1, reaching buckets in any region), and {@value
   * #ENDPOINT_ENV} with path-style addressing when set.
   */
  static S3Client client(Map<String, String> env, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder =
        S3Client.builder()
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    String region = env.get("AWS_REGION");
    if (region != null && !region.isBlank()) {
      builder.region(Region.of(region.strip()));
    } else {
      builder.region(Region.US_EAST_1).crossRegionAccessEnabled(true);
    }
    String endpoint = env.get(ENDPOINT_ENV);
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint.strip())).forcePathStyle(true);
    }
    return builder.build();
  }

  /**
   * The SDK's default chain, or anonymous requests when it finds no credentials (said once on
   * {@code out}, as {@code who}).
   */
  static AwsCredentialsProvider defaultCredentials(PrintStream out) {
    return defaultCredentials(out, NAME);
  }

  static AwsCredentialsProvider defaultCredentials(PrintStream out, String who) {
    DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
    try {
      chain.resolveCredentials();
      return chain;
    } catch (SdkException e) {
      chain.close();
      out.println(
          who
              + ": no AWS credentials found (IRSA, Pod Identity, environment, profile, instance"
              + " metadata): S3 requests are anonymous");
      return AnonymousCredentialsProvider.create();
    }
  }

  /** One line: S3's error code and message, or what else went wrong. */
  static String reason(Throwable failure) {
    if (failure instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
      String code = s3.awsErrorDetails().errorCode();
      String message = s3.awsErrorDetails().errorMessage();
      return (code == null ? "HTTP " + s3.statusCode() : code)
          + (message == null ? "" : ": " + message)
          + " (HTTP "
          + s3.statusCode()
          + ")";
    }
    String message = failure.getMessage();
    String type = failure.getClass().getSimpleName();
    if (failure instanceof EmptyPrefix || failure instanceof ModelArchive.Refused) {
      return message;
    }
    return message == null ? type : type + ": " + message.replace('\n', ' ');
  }
}
