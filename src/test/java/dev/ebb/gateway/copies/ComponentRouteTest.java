package dev.ebb.gateway.copies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentRouteTest {
  private final ComponentRoute<String> route = new ComponentRoute<>();

  @Test
  void requestsGoToTheCopyWithTheFewestInFlight() {
    route.copiesAre(List.of("10.0.0.1", "10.0.0.2"));
    var a = copy(route.admit("r", 1));
    var b = copy(route.admit("r", 1));
    assertThat(List.of(a.address, b.address)).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");

    route.release(a);
    assertThat(copy(route.admit("r", 1)).address)
        .as("the other copy still has one in flight")
        .isEqualTo(a.address);
    assertThat(route.outstanding()).isEqualTo(2);
    assertThat(route.invocations()).isEqualTo(3);
  }

  @Test
  void tiesAreTakenInTurn() {
    route.copiesAre(List.of("a", "b", "c"));
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      var copy = copy(route.admit("r", 1));
      chosen.add(copy.address);
      route.release(copy);
    }
    assertThat(chosen).containsOnly("a", "b", "c").hasSize(6);
    assertThat(chosen.stream().distinct().count()).isEqualTo(3);
  }

  @Test
  void atZeroCopiesRequestsAreHeldUpToTheBoundAndHandedOutOnceEach() {
    assertThat(route.admit("r1", 2)).isInstanceOf(ComponentRoute.Held.class);
    assertThat(route.admit("r2", 2)).isInstanceOf(ComponentRoute.Held.class);
    assertThat(route.admit("r3", 2)).as("over the bound").isInstanceOf(ComponentRoute.Full.class);
    assertThat(route.unhold("r2")).as("its client left").isTrue();
    assertThat(route.admit("r3", 2)).isInstanceOf(ComponentRoute.Held.class);

    var dispatched = route.copiesAre(List.of("a", "b"));

    assertThat(dispatched).extracting(ComponentRoute.Dispatch::request).containsExactly("r1", "r3");
    assertThat(dispatched)
        .extracting(d -> d.copy().address)
        .as("spread over the new copies")
        .containsExactlyInAnyOrder("a", "b");
    assertThat(route.held()).isZero();
    assertThat(route.unhold("r1")).as("already handed out").isFalse();
    assertThat(route.copiesAre(List.of("a", "b"))).as("never handed out twice").isEmpty();
  }

  @Test
  void aCopyThatStaysKeepsItsInFlightCount() {
    route.copiesAre(List.of("a"));
    route.admit("r", 1);
    route.copiesAre(List.of("a", "b"));
    assertThat(route.outstanding()).isEqualTo(1);
    assertThat(copy(route.admit("r", 1)).address).isEqualTo("b");
    route.copiesAre(List.of("b"));
    assertThat(route.ready()).isEqualTo(1);
  }

  @Test
  void aComponentThatGoesReleasesEveryHeldRequest() {
    route.admit("r1", 5);
    route.admit("r2", 5);
    assertThat(route.releaseAll()).containsExactly("r1", "r2");
    assertThat(route.held()).isZero();
    assertThat(route.copiesAre(List.of("a"))).isEmpty();
  }

  private static ComponentRoute.Copy copy(ComponentRoute.Admission admission) {
    assertThat(admission).isInstanceOf(ComponentRoute.ToCopy.class);
    return ((ComponentRoute.ToCopy) admission).copy();
  }
}
