package dev.ebb.gateway;

import dev.ebb.config.GatewayConfig;
import dev.ebb.gateway.access.AccessHandler;
import dev.ebb.gateway.access.ApiKeySecrets;
import dev.ebb.gateway.body.PayloadHandler;
import dev.ebb.gateway.copies.CopyRouter;
import dev.ebb.gateway.dispatch.DispatchHandler;
import dev.ebb.gateway.dispatch.SageMakerPassThrough;
import dev.ebb.gateway.errors.ErrorRoutes;
import dev.ebb.gateway.resolve.Directory;
import dev.ebb.gateway.resolve.ResolveHandler;
import dev.ebb.gateway.upstream.ModelServerClient;
import dev.ebb.sagemaker.RuntimeOperation;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The gateway's route table: SageMaker Runtime's operations ({@code POST
 * /endpoints/{EndpointName}/invocations}, {@code /invocations-response-stream}, {@code
 * /async-invocations}), each a chain of one-concern handlers, as KEDA's HTTP interceptor and
 * Knative's activator are built:
 *
 * <ol>
 *   <li>{@link PayloadHandler body}: read whole and untouched, up to {@code
 *       ebb.gateway.max-payload-bytes} (413 beyond);
 *   <li>{@link ResolveHandler resolve}: the endpoint, variant and component named;
 *   <li>{@link AccessHandler access}: the endpoint's {@code spec.access};
 *   <li>{@link DispatchHandler dispatch}: a local copy (held while there is none), backend local's
 *       asynchronous invocations, or SageMaker Runtime.
 * </ol>
 *
 * Whatever else reaches the gateway's port (another path or method, a request Vert.x Web refuses, a
 * handler's failure) is answered in SageMaker Runtime's error shape too ({@link ErrorRoutes}). Also
 * where the stages' watches start, in order, and where a deleted component's held requests are let
 * go, on either backend.
 */
@ApplicationScoped
public class GatewayRoutes {
  private final Vertx vertx;
  private final GatewayConfig config;
  private final Directory directory;
  private final AccessHandler access;
  private final DispatchHandler dispatch;
  private final CopyRouter copies;
  private final SageMakerPassThrough sagemaker;
  private final ModelServerClient models;
  private final ApiKeySecrets apiKeySecrets;
  private long secretSweeper = -1;

  public GatewayRoutes(
      Vertx vertx,
      GatewayConfig config,
      Directory directory,
      AccessHandler access,
      DispatchHandler dispatch,
      CopyRouter copies,
      SageMakerPassThrough sagemaker,
      ModelServerClient models,
      ApiKeySecrets apiKeySecrets) {
    this.vertx = vertx;
    this.config = config;
    this.directory = directory;
    this.access = access;
    this.dispatch = dispatch;
    this.copies = copies;
    this.sagemaker = sagemaker;
    this.models = models;
    this.apiKeySecrets = apiKeySecrets;
  }

  void routes(@Observes Router router) {
    for (RuntimeOperation operation : RuntimeOperation.values()) {
      router
          .post("/endpoints/:endpoint" + operation.path())
          .handler(new PayloadHandler(config.maxPayloadBytes()))
          .handler(new ResolveHandler(directory, operation))
          .handler(access)
          .handler(dispatch);
    }
    ErrorRoutes.install(router);
  }

  void start(@Observes StartupEvent startup) {
    models.start();
    copies.start();
    sagemaker.start();
    // Either plane may hold requests for a deleted component: both answer them.
    directory.start(
        component -> {
          copies.componentGone(component);
          sagemaker.componentGone(component);
        });
    // Secrets no endpoint names any more stop being watched.
    secretSweeper =
        vertx.setPeriodic(60_000, id -> apiKeySecrets.retainOnly(directory.apiKeySecrets()));
  }

  @PreDestroy
  void stop() {
    if (secretSweeper >= 0) {
      vertx.cancelTimer(secretSweeper);
    }
  }
}
