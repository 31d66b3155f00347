package dev.ebb.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** The ml.* instance types SageMaker hosting accepts (instance-types.txt beside this class). */
final class InstanceTypes {
  static final Set<String> ALL = load();

  private InstanceTypes() {}

  static boolean isKnown(String type) {
    return ALL.contains(type);
  }

  private static Set<String> load() {
    Set<String> types = new LinkedHashSet<>();
    try (InputStream in = InstanceTypes.class.getResourceAsStream("instance-types.txt");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      reader
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .forEach(types::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Collections.unmodifiableSet(types);
  }
}
