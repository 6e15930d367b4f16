package io.mdeas.node.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mdeas.node.config.ConfigException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's small HTTP server (the JDK's): {@code GET /metrics} in the Prometheus text format and
 * {@code GET /health} as JSON (HTTP 200 while UP or DEGRADED, 503 when DOWN, so probes can use the code).
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the server.
     *
     * @throws ConfigException when the address cannot be bound
     */
    public static HttpEndpoints start(HostPort listen, PrometheusMeterRegistry registry,
                                      Supplier<HealthReport> health, ObjectMapper json) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 16);
        } catch (IOException e) {
            throw new ConfigException("http.listen = " + listen + ": cannot listen there (" + e.getMessage()
                    + "); choose another address with --http HOST:PORT, or --http none");
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> {
            if (!allowGet(ex)) {
                return;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            registry.scrape(body);
            respond(ex, 200, PROMETHEUS_TEXT, body.toByteArray());
        });
        server.createContext("/health", ex -> {
            if (!allowGet(ex)) {
                return;
            }
            HealthReport report = health.get();
            respond(ex, report.status() == HealthStatus.DOWN ? 503 : 200, "application/json",
                    json.writeValueAsBytes(report));
        });
        server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8",
                "not found: try /metrics or /health\n".getBytes(StandardCharsets.UTF_8)));
        server.start();
        log.info("HTTP: /metrics and /health on http://{}/", format(server.getAddress()));
        return new HttpEndpoints(server, executor);
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port} of this server. */
    public String baseUrl() {
        return "http://" + format(server.getAddress());
    }

    private static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static boolean allowGet(HttpExchange ex) throws IOException {
        if (ex.getRequestMethod().equals("GET") || ex.getRequestMethod().equals("HEAD")) {
            return true;
        }
        ex.getResponseHeaders().add("Allow", "GET, HEAD");
        respond(ex, 405, "text/plain; charset=utf-8", "use GET\n".getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private static void respond(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", type);
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(code, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
