package io.mdeas.node.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mdeas.node.publish.MessageSink;
import io.mdeas.node.publish.Payloads;
import io.mdeas.node.publish.Topic;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Serialises every message to JSON exactly as the MQTT sink would and throws the bytes away: with
 * {@code --mqtt none} the benchmark still pays for serialisation, only not for the network.
 */
final class DiscardingJsonSink implements MessageSink {
    private final ObjectMapper json = Payloads.mapper();
    private final CountingStream out = new CountingStream();
    private final JsonGenerator generator;

    DiscardingJsonSink() {
        try {
            generator = json.getFactory().createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void publish(Topic topic, Object payload) {
        try {
            json.writeValue(generator, payload);
            generator.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON bytes produced so far. */
    long bytes() {
        return out.count;
    }

    @Override
    public void close() {
        try {
            generator.close();
        } catch (IOException e) {
            // Nothing was written anywhere; nothing to lose.
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
