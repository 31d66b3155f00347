package dev.ebb.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fetcher's in-process .tar.gz unpacking, on archives built here. */
class ModelArchiveTest {
  @TempDir Path tmp;

  @Test
  void nestedDirectoriesAndFilesWithTheirExecutableBits() throws IOException {
    byte[] archive =
        TarGz.gnu()
            .directory("model/")
            .file("model/config.json", "{\"layers\":32}", 0644)
            .file("model/bin/serve.sh", "#!/bin/sh\n", 0755)
            .file("./weights/a/b/part-0.safetensors", "weights", 0640)
            .build();

    ModelArchive.Unpacked unpacked = extract(archive);

    Path model = tmp.resolve("out");
    assertThat(model.resolve("model/config.json")).hasContent("{\"layers\":32}");
    assertThat(model.resolve("weights/a/b/part-0.safetensors")).hasContent("weights");
    assertThat(Files.getPosixFilePermissions(model.resolve("model/bin/serve.sh")))
        .contains(
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_EXECUTE);
    assertThat(Files.getPosixFilePermissions(model.resolve("model/config.json")))
        .doesNotContain(
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_EXECUTE);
    assertThat(unpacked.files()).isEqualTo(3);
    assertThat(unpacked.directories()).isEqualTo(1);
    assertThat(unpacked.bytes()).isEqualTo(13 + 10 + 7);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX})
  void longNamesFromGnuAndPaxHeaders(int longFileMode) throws IOException {
    String deep = "snapshots/" + "x".repeat(120) + "/" + "y".repeat(60) + "/tokenizer.json";
    byte[] archive =
        new TarGz(longFileMode)
            .file(deep, "tokens", 0644)
            .file("modèle/vocabulário.txt", "ü", 0644)
            .build();

    extract(archive);

    assertThat(tmp.resolve("out").resolve(deep)).hasContent("tokens");
    assertThat(tmp.resolve("out/modèle/vocabulário.txt")).hasContent("ü");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"../evil.txt", "model/../../evil.txt", "model/../config.json", ".."})
  void entriesWithDotDotAreRefused(String name) throws IOException {
    byte[] archive = TarGz.gnu().file("ok.txt", "ok", 0644).file(name, "evil", 0644).build();

    assertThatThrownBy(() -> extract(archive))
        .isInstanceOf(ModelArchive.Refused.class)
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("..");
    assertThat(tmp.resolve("evil.txt")).doesNotExist();
  }

  @Test
  void absoluteEntriesAreRefused() throws IOException {
    byte[] archive = TarGz.gnu().file("/tmp/evil.txt", "evil", 0644).build();

    assertThatThrownBy(() -> extract(archive))
        .isInstanceOf(ModelArchive.Refused.class)
        .hasMessageContaining("'/tmp/evil.txt': absolute path");
  }

  @Test
  void linksInsideTheDirectoryAreKept() throws IOException {
    byte[] archive =
        TarGz.gnu()
            .file("blobs/abc", "weights", 0644)
            .symlink("snapshots/main/model.bin", "../../blobs/abc")
            .hardLink("copy.bin", "blobs/abc")
            .build();

    ModelArchive.Unpacked unpacked = extract(archive);

    Path out = tmp.resolve("out");
    assertThat(Files.isSymbolicLink(out.resolve("snapshots/main/model.bin"))).isTrue();
    assertThat(out.resolve("snapshots/main/model.bin")).hasContent("weights");
    assertThat(out.resolve("copy.bin")).hasContent("weights");
    assertThat(unpacked.links()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "up, ../..",
    "model/etc, ../../etc",
    "passwd, /etc/passwd",
  })
  void symbolicLinksOutOfTheDirectoryAreRefused(String name, String target) throws IOException {
    byte[] archive = TarGz.gnu().symlink(name, target).build();

    assertThatThrownBy(() -> extract(archive))
        .isInstanceOf(ModelArchive.Refused.class)
        .hasMessageContaining("'" + name + "'");
    assertThat(Files.exists(tmp.resolve("out").resolve(name), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  /** A link to "." makes "d/e" really "e": a link ".." there would point out of the directory. */
  @Test
  void aLinkPlacedThroughAnEarlierLinkIsJudgedWhereItReallyLands() throws IOException {
    byte[] archive = TarGz.gnu().symlink("d", ".").symlink("d/e", "..").build();

    assertThatThrownBy(() -> extract(archive)).isInstanceOf(ModelArchive.Refused.class);
    assertThat(Files.exists(tmp.resolve("out/e"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aHardLinkToOutsideIsRefused() throws IOException {
    Files.writeString(tmp.resolve("secret"), "secret");
    byte[] archive = TarGz.gnu().hardLink("leak", "../secret").build();

    assertThatThrownBy(() -> extract(archive)).isInstanceOf(ModelArchive.Refused.class);
    assertThat(tmp.resolve("out/leak")).doesNotExist();
  }

  @Test
  void aSecondRunOverwritesWhatAnInterruptedOneLeft() throws IOException {
    Files.createDirectories(tmp.resolve("out/model"));
    Files.writeString(tmp.resolve("out/model/config.json"), "partial");
    extract(TarGz.gnu().file("model/config.json", "complete", 0644).build());
    assertThat(tmp.resolve("out/model/config.json")).hasContent("complete");
  }

  @Test
  void notAGzipStreamIsAnError() {
    assertThatThrownBy(
            () ->
                ModelArchive.extract(
                    new ByteArrayInputStream("PK\u0003\u0004".getBytes(StandardCharsets.UTF_8)),
                    tmp.resolve("out")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("GZIP");
  }

  private ModelArchive.Unpacked extract(byte[] archive) throws IOException {
    return ModelArchive.extract(new ByteArrayInputStream(archive), tmp.resolve("out"));
  }

  /** Builds a .tar.gz in memory, entries in order, names exactly as given. */
  static final class TarGz {
    private final int longFileMode;
    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    TarGz(int longFileMode) {
      this.longFileMode = longFileMode;
    }

    static TarGz gnu() {
      return new TarGz(TarArchiveOutputStream.LONGFILE_GNU);
    }

    TarGz directory(String name) {
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setMode(040755);
      return add(entry, new byte[0]);
    }

    TarGz file(String name, String content, int mode) {
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setMode(0100000 | mode);
      entry.setSize(bytes.length);
      return add(entry, bytes);
    }

    TarGz symlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      entry.setLinkName(target);
      return add(entry, new byte[0]);
    }

    TarGz hardLink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
      entry.setLinkName(target);
      return add(entry, new byte[0]);
    }

    private TarGz add(TarArchiveEntry entry, byte[] content) {
      entries.add(entry);
      contents.add(content);
      return this;
    }

    byte[] build() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar =
          new TarArchiveOutputStream(new GZIPOutputStream(bytes), "UTF-8")) {
        tar.setLongFileMode(longFileMode);
        tar.setAddPaxHeadersForNonAsciiNames(longFileMode == TarArchiveOutputStream.LONGFILE_POSIX);
        for (int i = 0; i < entries.size(); i++) {
          tar.putArchiveEntry(entries.get(i));
          tar.write(contents.get(i));
          tar.closeArchiveEntry();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
  }
}
