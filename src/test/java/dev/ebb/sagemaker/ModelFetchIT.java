package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.local.ModelFetcher;
import dev.ebb.sagemaker.ModelArchiveTest.TarGz;
import dev.ebb.simulator.Delays;
import dev.ebb.simulator.SageMakerSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The model fetcher against Ebb's S3 simulator through the real SDK client: in-process for a prefix
 * (nested keys, more than one page of ListObjectsV2) and for a model.tar.gz; then as the init
 * container runs it, a child {@code java} on the packaged fast-jar's classpath
 * (target/quarkus-app), without credentials.
 */
class ModelFetchIT {
  private static final Path FAST_JAR = Path.of("target/quarkus-app");

  private final SageMakerSimulator sim =
      SageMakerSimulator.builder().delays(Delays.none()).build().start();

  @TempDir Path tmp;

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void aPrefixIsCopiedKeyByKeyToItsRelativePaths() throws IOException {
    sim.s3()
        .createBucket("models")
        .put("models", "llama3/config.json", "{\"layers\":32}")
        .put("models", "llama3/tokenizer/tokenizer.json", "{\"vocab\":[]}")
        .put("models", "llama3/weights/", new byte[0])
        .put("models", "llama3/weights/a/b/model-00001.safetensors", new byte[] {1, 2, 3})
        // Same leading characters, another prefix: not part of the model.
        .put("models", "llama3-70b/config.json", "{\"layers\":80}");
    // More keys than one ListObjectsV2 page (1000).
    for (int i = 0; i < 1005; i++) {
      sim.s3().put("models", "llama3/shards/%04d.bin".formatted(i), "shard " + i);
    }

    ModelFetch.Summary summary;
    try (S3Client s3 = client()) {
      summary = ModelFetch.fetch(s3, "s3://models/llama3/", tmp.resolve("model"));
    }

    Path model = tmp.resolve("model");
    assertThat(model.resolve("config.json")).hasContent("{\"layers\":32}");
    assertThat(model.resolve("tokenizer/tokenizer.json")).hasContent("{\"vocab\":[]}");
    assertThat(model.resolve("weights/a/b/model-00001.safetensors"))
        .hasBinaryContent(bytes(1, 2, 3));
    assertThat(model.resolve("shards/0000.bin")).hasContent("shard 0");
    assertThat(model.resolve("shards/1004.bin")).hasContent("shard 1004");
    try (Stream<Path> shards = Files.list(model.resolve("shards"))) {
      assertThat(shards).hasSize(1005);
    }
    try (Stream<Path> top = Files.list(model)) {
      assertThat(top)
          .as("nothing from llama3-70b/")
          .extracting(p -> p.getFileName().toString())
          .containsExactlyInAnyOrder("config.json", "tokenizer", "weights", "shards");
    }
    assertThat(summary.objects()).isEqualTo(3 + 1005);
    assertThat(sim.calls("s3:ListObjectsV2")).as("paginated").hasSize(2);
  }

  @Test
  void aTarGzIsUnpackedAsItStreams() throws IOException {
    byte[] archive =
        TarGz.gnu()
            .file("model/config.json", "{\"whisper\":true}", 0644)
            .file("code/" + "n".repeat(140) + "/inference.py", "print('hi')", 0755)
            .build();
    sim.s3().createBucket("models").put("models", "whisper/model.tar.gz", archive);

    ModelFetch.Summary summary;
    try (S3Client s3 = client()) {
      summary = ModelFetch.fetch(s3, "s3://models/whisper/model.tar.gz", tmp.resolve("model"));
    }

    assertThat(tmp.resolve("model/model/config.json")).hasContent("{\"whisper\":true}");
    Path script = tmp.resolve("model/code/" + "n".repeat(140) + "/inference.py");
    assertThat(script).hasContent("print('hi')");
    assertThat(Files.getPosixFilePermissions(script)).contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(summary.objects()).isEqualTo(1);
    assertThat(summary.files()).isEqualTo(2);
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).as("no temporary file").containsExactly(tmp.resolve("model"));
    }
  }

  @Test
  void aMissingKeyAndAnEmptyPrefixAreErrors() throws IOException {
    sim.s3().createBucket("models").put("models", "other/x", "x");
    try (S3Client s3 = client()) {
      assertThatThrownBy(() -> ModelFetch.fetch(s3, "s3://models/nope.tar.gz", tmp))
          .isInstanceOf(NoSuchKeyException.class);
      assertThatThrownBy(() -> ModelFetch.fetch(s3, "s3://models/llama3/", tmp))
          .isInstanceOf(ModelFetch.EmptyPrefix.class)
          .hasMessage("empty prefix: no objects under it");
    }
  }

  @Test
  void aKeyThatWouldLeaveTheDirectoryIsRefused() throws IOException {
    sim.s3().createBucket("models").put("models", "llama3/../../escape.txt", "x");
    try (S3Client s3 = client()) {
      assertThatThrownBy(() -> ModelFetch.fetch(s3, "s3://models/llama3/", tmp.resolve("model")))
          .isInstanceOf(ModelArchive.Refused.class)
          .hasMessageContaining("'llama3/../../escape.txt'");
    }
    assertThat(tmp.resolve("escape.txt")).doesNotExist();
  }

  @Test
  void mainRunsFromTheFastJarWithPlainJavaAndAnonymousRequests() throws Exception {
    sim.s3()
        .createBucket("models")
        .put("models", "llama3/config.json", "{\"layers\":32}")
        .put("models", "llama3/weights/model.safetensors", new byte[] {7, 7, 7});

    Result ok = fetchInChildJvm("s3://models/llama3/", tmp.resolve("model"));

    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(tmp.resolve("model/config.json")).hasContent("{\"layers\":32}");
    assertThat(tmp.resolve("model/weights/model.safetensors")).hasBinaryContent(bytes(7, 7, 7));
    assertThat(ok.stdout())
        .contains("no AWS credentials found")
        .containsPattern(
            "fetch-model: s3://models/llama3/ -> .*/model: 2 objects, 16 bytes, [0-9.]+ s");
    assertThat(ok.stderr()).as(ok.toString()).isEmpty();
    assertThat(sim.calls("s3:GetObject")).hasSize(2);
  }

  @Test
  void mainExitsNonZeroWithOneLineNamingTheUrl() throws Exception {
    sim.s3().createBucket("models");

    Result missing = fetchInChildJvm("s3://models/whisper/model.tar.gz", tmp.resolve("model"));

    assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.stderr().strip().lines())
        .singleElement()
        .asString()
        .startsWith("fetch-model: s3://models/whisper/model.tar.gz: NoSuchKey")
        .endsWith("(HTTP 404)");
  }

  /** A server that accepts connections and never answers: the download timeout ends the fetch. */
  @Test
  void aFetchThatDoesNotFinishInTimeExitsWith124() throws IOException {
    try (ServerSocket silent = new ServerSocket(0)) {
      // The acceptor thread adds while the test later walks the list.
      List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit =
          ModelFetch.run(
              new String[] {
                "s3://models/llama3/", tmp.toString(), "--timeout-seconds", "1",
              },
              Map.of(
                  "EBB_S3_ENDPOINT",
                  "http://127.0.0.1:" + silent.getLocalPort(),
                  "AWS_REGION",
                  "us-east-1"),
              new PrintStream(new ByteArrayOutputStream()),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(exit).isEqualTo(124);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "fetch-model: s3://models/llama3/: timeout: not fetched within 1 s"
                  + " (startup.modelDownloadTimeoutSeconds)"
                  + System.lineSeparator());
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  // --- helpers -----------------------------------------------------------------------------

  private S3Client client() {
    return ModelFetch.client(
        Map.of("EBB_S3_ENDPOINT", sim.endpoint().toString()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
  }

  record Result(int exit, String stdout, String stderr) {}

  /**
   * {@code java <flags> -cp app/*:lib/main/*:lib/boot/* dev.ebb.sagemaker.ModelFetch URL DIR
   * --timeout-seconds 60}, as the init container runs it, in a clean environment: no AWS
   * credentials (anonymous requests), no instance metadata, the simulator as S3.
   */
  private Result fetchInChildJvm(String url, Path dir) throws Exception {
    assertThat(FAST_JAR.resolve("app"))
        .as("the packaged fast-jar (mvn package) the init container's classpath names")
        .isDirectory();
    // The init container's classpath, with this build's fast-jar where the image has /deployments.
    String classpath =
        ModelFetcher.CLASSPATH.replace(ModelFetcher.APP_HOME, FAST_JAR.toAbsolutePath().toString());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ModelFetcher.JVM_FLAGS);
    command.addAll(List.of("-cp", classpath, ModelFetcher.MAIN_CLASS));
    command.addAll(List.of(url, dir.toString(), "--timeout-seconds", "60"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().put("HOME", tmp.toString());
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    builder.environment().put(ModelFetch.ENDPOINT_ENV, sim.endpoint().toString());
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("ModelFetch did not end within 90 s: " + Files.readString(err));
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
