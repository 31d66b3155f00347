package dev.ebb.batch;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Turns one mini-batch's response into its part of the output object, by TransformOutput
 * .AssembleWith (API reference): {@code None} concatenates ("To concatenate the results in binary
 * format"), {@code Line} adds "a newline character at the end of every transformed record".
 *
 * <p>Without DataProcessing, SageMaker does not look inside a response, so the transformed record
 * it adds the newline after is the response: with MultiRecord that is one newline per mini-batch,
 * after whatever the model answered (the SageMaker Python SDK's local mode, which emulates batch
 * transform, does the same: {@code f.write(data)} then {@code f.write(b"\n")} per request). A model
 * that ends its own answer with a newline thus gets an empty line after each mini-batch, as on
 * SageMaker. With DataProcessing the records are known one by one, and each gets its newline.
 */
public final class OutputAssembler {
  private final boolean line;
  private final DataProcessor processor;

  /** {@code processor} null when the job does not process data. */
  public OutputAssembler(boolean line, DataProcessor processor) {
    this.line = line;
    this.processor = processor;
  }

  public byte[] assemble(MiniBatches.MiniBatch batch, byte[] response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (processor == null) {
      out.writeBytes(response);
      if (line) {
        out.write('\n');
      }
      return out.toByteArray();
    }
    List<String> outputs = processor.outputs(batch, response);
    for (int i = 0; i < outputs.size(); i++) {
      out.writeBytes(processor.output(batch.records().get(i), outputs.get(i)));
      if (line) {
        out.write('\n');
      }
    }
    return out.toByteArray();
  }
}
