package dev.ebb.sagemaker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a {@code .tar.gz} stream into a directory as it arrives, in-process: no temporary file,
 * no {@code tar} binary. Regular files (with their executable bits), directories, GNU long names
 * and pax paths, and links that stay inside the directory. Anything that would land outside the
 * directory is refused: an absolute name, a {@code ..} segment, a symbolic or hard link pointing
 * out, or a path that goes through a link placed by an earlier entry. Devices and FIFOs are
 * skipped.
 */
final class ModelArchive {
  private ModelArchive() {}

  /** What was unpacked; {@code skipped} names entries of types a model directory has no use for. */
  record Unpacked(long files, long directories, long links, long bytes, List<String> skipped) {}

  /** An archive entry or S3 key that would be written outside the target directory. */
  static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  /** Gunzips {@code gzipped} and unpacks its tar stream into {@code dir} (created if missing). */
  static Unpacked extract(InputStream gzipped, Path dir) throws IOException {
    Path root = Files.createDirectories(dir.toAbsolutePath().normalize()).toRealPath();
    long files = 0;
    long directories = 0;
    long links = 0;
    long bytes = 0;
    List<String> skipped = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GZIPInputStream(new BufferedInputStream(gzipped, 1 << 16), 1 << 16), "UTF-8")) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        Path lexical = inside(root, name, "archive entry");
        if (lexical.equals(root)) {
          continue; // "./": the directory itself
        }
        if (entry.isDirectory()) {
          Files.createDirectories(lexical);
          requireInside(root, lexical.toRealPath(), name);
          directories++;
          continue;
        }
        if (!entry.isFile() && !entry.isSymbolicLink() && !entry.isLink()) {
          skipped.add(name);
          continue;
        }
        if (!tar.canReadEntryData(entry)) {
          throw new IOException("archive entry '" + name + "' cannot be read (unsupported sparse)");
        }
        Path target = placed(root, lexical, name);
        if (entry.isSymbolicLink()) {
          String link = entry.getLinkName();
          Path pointsTo = target.getParent().resolve(link).normalize();
          if (Path.of(link).isAbsolute() || !pointsTo.startsWith(root)) {
            throw new Refused(
                "refused archive entry '"
                    + name
                    + "': symbolic link to '"
                    + link
                    + "' points outside "
                    + root);
          }
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(link));
          links++;
        } else if (entry.isLink()) {
          String link = entry.getLinkName();
          Path existing = inside(root, link, "hard link target of '" + name + "':");
          if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(
                "archive entry '" + name + "' links to '" + link + "', which is not a file");
          }
          requireInside(root, existing.toRealPath(), link);
          Files.deleteIfExists(target);
          Files.createLink(target, existing);
          links++;
        } else {
          bytes += Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          executable(target, entry.getMode());
          files++;
        }
      }
    }
    return new Unpacked(files, directories, links, bytes, List.copyOf(skipped));
  }

  /**
   * {@code relative} resolved under {@code root}, refused when it is absolute or has a {@code ..}
   * segment (S3 keys and archive names alike).
   */
  static Path inside(Path root, String relative, String what) throws Refused {
    String trimmed = relative;
    if (trimmed.startsWith("/") || Path.of(trimmed).isAbsolute()) {
      throw new Refused("refused " + what + " '" + relative + "': absolute path");
    }
    for (String segment : trimmed.split("/")) {
      if (segment.equals("..")) {
        throw new Refused(
            "refused " + what + " '" + relative + "': '..' would leave " + root.toString());
      }
    }
    Path resolved = root.resolve(trimmed).normalize();
    if (!resolved.startsWith(root)) {
      throw new Refused("refused " + what + " '" + relative + "': outside " + root);
    }
    return resolved;
  }

  /**
   * Where an entry is written: in its parent directory as it really is on disk, which must still be
   * under {@code root} (an earlier entry may have made a path segment a symbolic link).
   */
  static Path placed(Path root, Path lexical, String name) throws IOException {
    Path parent = Files.createDirectories(lexical.getParent()).toRealPath();
    requireInside(root, parent, name);
    return parent.resolve(lexical.getFileName());
  }

  private static void requireInside(Path root, Path real, String name) throws Refused {
    if (!real.startsWith(root)) {
      throw new Refused("refused '" + name + "': it goes through a link to outside " + root);
    }
  }

  /** Keeps the entry's executable bits (owner, group, others); the rest is the umask's. */
  private static void executable(Path file, int mode) throws IOException {
    if ((mode & 0111) == 0) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions =
          EnumSet.copyOf(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
      if ((mode & 0100) != 0) {
        permissions.add(PosixFilePermission.OWNER_EXECUTE);
      }
      if ((mode & 0010) != 0) {
        permissions.add(PosixFilePermission.GROUP_EXECUTE);
      }
      if ((mode & 0001) != 0) {
        permissions.add(PosixFilePermission.OTHERS_EXECUTE);
      }
      Files.setPosixFilePermissions(file, permissions);
    } catch (UnsupportedOperationException e) {
      file.toFile().setExecutable(true, (mode & 0011) == 0);
    }
  }
}
