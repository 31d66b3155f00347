package dev.ebb.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A fresh {@link TestNamespace} of the shared test API server for each test, deleted after it
 * (after the test's own {@code @AfterEach} methods) unless the test or its class is marked {@link
 * Keep}:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final TestNamespaceExtension ns = new TestNamespaceExtension("gateway", TIMEOUT);
 *
 * &#64;Test
 * void aTest() {
 *   ns.apply(yaml);
 *   ns.awaitReady(InferenceEndpoint.class, "llm");
 * }
 * </pre>
 *
 * <p>The namespace exists from before the test's {@code @BeforeEach} methods, so they may use it.
 * The extension's client ({@link #client()}) is made on first use and closed after the class.
 *
 * <p>Register it on a {@code static} field: a {@code @QuarkusTest} runs its methods on an instance
 * of its own, not the one JUnit made, and only static state is seen by both. JUnit reads that field
 * before Quarkus has started, so the test class must make no client in its static initializer (use
 * this one): fabric8 would then find its classes through the wrong class loader.
 */
public final class TestNamespaceExtension extends TestNamespace
    implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  /** The test's namespace is named from this prefix rather than the extension's. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  public @interface Prefix {
    String value();
  }

  /** The namespace (and any {@link #another}) outlives the test, e.g. to look at it afterwards. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.TYPE})
  public @interface Keep {}

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final String prefix;
  private final Duration timeout;
  private final List<TestNamespace> created = new ArrayList<>();
  private KubernetesClient client;
  private String name;

  /** Namespaces named {@code prefix-<pid>-<n>}; waits bounded by {@code timeout}. */
  public TestNamespaceExtension(String prefix, Duration timeout) {
    this.prefix = prefix;
    this.timeout = timeout;
  }

  /** The same, waits bounded by 60 s. */
  public TestNamespaceExtension(String prefix) {
    this(prefix, DEFAULT_TIMEOUT);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    String own =
        context
            .getTestMethod()
            .flatMap(m -> AnnotationSupport.findAnnotation(m, Prefix.class))
            .map(Prefix::value)
            .orElse(prefix);
    name = withOwnClassLoader(() -> TestNamespace.create(client(), own));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      if (!kept(context)) {
        withOwnClassLoader(
            () -> {
              delete();
              created.forEach(TestNamespace::delete);
              return null;
            });
      }
    } finally {
      name = null;
      created.clear();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  /** The current test's namespace. */
  @Override
  public String name() {
    if (name == null) {
      throw new IllegalStateException(
          "no test namespace outside a test: is the extension registered on a static field?");
    }
    return name;
  }

  /** A client of the shared test API server, made on first use, closed after the class. */
  @Override
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = withOwnClassLoader(EmbeddedApiServer::newClient);
    }
    return client;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  /** One more namespace for the current test, with the same client and timeout, deleted with it. */
  public TestNamespace another(String prefix) {
    name(); // only within a test
    TestNamespace other =
        TestNamespace.of(client(), TestNamespace.create(client(), prefix), timeout);
    created.add(other);
    return other;
  }

  private static boolean kept(ExtensionContext context) {
    return context.getTestMethod().map(m -> m.isAnnotationPresent(Keep.class)).orElse(false)
        || context.getTestClass().map(c -> c.isAnnotationPresent(Keep.class)).orElse(false);
  }

  /**
   * Runs {@code work} with this class's loader as the thread's context loader, as Quarkus does for
   * the test's own methods, so fabric8's service lookups find the classes the test sees.
   */
  private static <T> T withOwnClassLoader(Supplier<T> work) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(TestNamespaceExtension.class.getClassLoader());
    try {
      return work.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
