package dev.ebb.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/status.md documents the reasons Ebb can set, and only those: every constant of {@link
 * Reasons} has its row (or its sentence, for a condition documented in its own section), and every
 * row of the Reasons table names a reason the code has (or SageMaker's own status, which is passed
 * through verbatim).
 */
class ReasonsDocumentedTest {
  private static final Path DOC = Path.of("docs/status.md");

  /** SageMaker's transitional statuses, used verbatim as reasons while Ebb waits on them. */
  private static final Set<String> SAGEMAKER_STATUSES = Set.of("Creating", "Updating", "Deleting");

  @Test
  void everyReasonTheCodeCanSetIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    Set<String> undocumented =
        codeReasons().stream()
            .filter(r -> !doc.contains("`" + r + "`"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(undocumented)
        .as("reasons the code sets that docs/status.md does not name")
        .isEmpty();
  }

  @Test
  void everyDocumentedReasonIsOneTheCodeCanSet() throws IOException {
    Set<String> documented = tableReasons(Files.readString(DOC));
    documented.removeAll(codeReasons());
    documented.removeAll(SAGEMAKER_STATUSES);
    assertThat(documented).as("reasons docs/status.md names that no code sets").isEmpty();
  }

  private static Set<String> codeReasons() {
    return Arrays.stream(Reasons.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(ReasonsDocumentedTest::value)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The backticked reasons in the first column of the Reasons table. */
  private static Set<String> tableReasons(String doc) {
    String table = doc.substring(doc.indexOf("## Reasons"));
    table = table.substring(0, table.indexOf("\n## ", 1));
    Set<String> reasons = new TreeSet<>();
    for (String line : table.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      Matcher m = Pattern.compile("`([A-Z][A-Za-z]+)`").matcher(line.split("\\|")[1]);
      while (m.find()) {
        reasons.add(m.group(1));
      }
    }
    return reasons;
  }

  private static String value(Field f) {
    try {
      return (String) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
