package dev.ebb.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;

/** The gateway's event-stream framing, read back by AWS's own codec (which checks both CRCs). */
class EventStreamTest {
  @Test
  void aPayloadPartDecodesWithItsBytesAndEventHeaders() {
    Buffer encoded = EventStream.payloadPart(Buffer.buffer("token by token"));

    Message message = Message.decode(ByteBuffer.wrap(encoded.getBytes()));

    assertThat(new String(message.getPayload(), StandardCharsets.UTF_8))
        .isEqualTo("token by token");
    assertThat(message.getHeaders().get(":event-type").getString()).isEqualTo("PayloadPart");
    assertThat(message.getHeaders().get(":message-type").getString()).isEqualTo("event");
  }

  @Test
  void aFailureMidStreamIsAModelStreamErrorException() {
    Buffer encoded = EventStream.modelStreamError("the model \"crashed\"");

    Message message = Message.decode(ByteBuffer.wrap(encoded.getBytes()));

    assertThat(message.getHeaders().get(":message-type").getString()).isEqualTo("exception");
    assertThat(message.getHeaders().get(":exception-type").getString())
        .isEqualTo("ModelStreamError");
    assertThat(new String(message.getPayload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"Message\":\"the model \\\"crashed\\\"\"}");
  }

  @Test
  void anEmptyChunkIsStillAWellFormedMessage() {
    Message message =
        Message.decode(ByteBuffer.wrap(EventStream.payloadPart(Buffer.buffer()).getBytes()));
    assertThat(message.getPayload()).isEmpty();
  }
}
