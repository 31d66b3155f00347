package dev.ebb.simulator.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Finds botocore's data directory (AWS's published service models, as the Python SDK ships them)
 * and loads its models once per JVM. The simulator is only as right as these models, so a missing
 * botocore is a test failure with instructions, never a silent skip. The version is pinned in
 * {@code .ci/run}.
 */
public final class Botocore {
  /** Overrides the lookup: a botocore {@code data} directory (holding sagemaker/, s3/...). */
  public static final String ENV = "EBB_BOTOCORE_DATA";

  private static final Map<String, ServiceModel> MODELS = new ConcurrentHashMap<>();
  private static volatile Path dataDir;

  private Botocore() {}

  /** The model of a botocore service ("sagemaker", "s3", ...), loaded on first use. */
  public static ServiceModel model(String service) {
    return MODELS.computeIfAbsent(service, s -> ServiceModel.load(s, dataDir()));
  }

  static Path dataDir() {
    Path dir = dataDir;
    if (dir == null) {
      dir = locate(System.getenv(ENV));
      dataDir = dir;
    }
    return dir;
  }

  /** {@code override} if set, else the data directory of the botocore that python3 imports. */
  static Path locate(String override) {
    if (override != null && !override.isBlank()) {
      Path dir = Path.of(override.strip());
      if (!Files.isDirectory(dir.resolve("sagemaker"))) {
        throw new IllegalStateException(
            ENV + "=" + override + " is not a botocore data directory (it has no sagemaker/).");
      }
      return dir;
    }
    String printed;
    try {
      Process python =
          new ProcessBuilder(
                  "python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))")
              .redirectErrorStream(true)
              .start();
      printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
        throw missing("python3 could not import botocore: " + printed);
      }
    } catch (IOException e) {
      throw missing("python3 could not be run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw missing("interrupted while asking python3 for botocore");
    }
    Path dir = Path.of(printed).resolve("data");
    if (!Files.isDirectory(dir.resolve("sagemaker"))) {
      throw missing("botocore at " + printed + " has no data/sagemaker directory");
    }
    return dir;
  }

  private static IllegalStateException missing(String why) {
    return new IllegalStateException(
        "The SageMaker simulator validates every call against AWS's service models from botocore,"
            + " and cannot find them ("
            + why
            + "). Install the version .ci/run pins (python3 -m pip install botocore==1.43.11) or"
            + " set "
            + ENV
            + " to a botocore data directory.");
  }
}
