package dev.ebb.testing;

import io.quarkus.test.junit.callback.QuarkusTestAfterEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import java.lang.reflect.Field;

/**
 * After each {@code @QuarkusTest}, fails the test if the simulator it was given ({@link
 * SimulatorResource} injects it into a field) saw a request or gave an answer that AWS's service
 * models forbid. Quarkus only logs an exception from a test resource's stop(), so the check at the
 * simulator's close would not fail these tests. Reflection, because the test instance may come from
 * Quarkus's class loader.
 */
public class SimulatorContractCallback implements QuarkusTestAfterEachCallback {
  private static final String SIMULATOR = "dev.ebb.simulator.SageMakerSimulator";

  @Override
  public void afterEach(QuarkusTestMethodContext context) {
    Object running = System.getProperties().get(SimulatorResource.RUNNING);
    if (running != null) {
      assertNone(running);
    }
    Object test = context.getTestInstance();
    for (Class<?> c = test.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (field.getType().getName().equals(SIMULATOR)) {
          check(field, test);
        }
      }
    }
  }

  private static void check(Field field, Object test) {
    try {
      field.setAccessible(true);
      Object simulator = field.get(test);
      if (simulator != null) {
        assertNone(simulator);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot check the simulator in " + field, e);
    }
  }

  /** By reflection: the simulator may come from another class loader than this callback. */
  private static void assertNone(Object simulator) {
    try {
      simulator.getClass().getMethod("assertNoModelViolations").invoke(simulator);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof AssertionError failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot check the simulator " + simulator, e);
    }
  }
}
