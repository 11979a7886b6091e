package ar.loteria.server;

import ar.loteria.common.ConfigException;
import ar.loteria.common.LogSetup;
import ar.loteria.common.LogLine;
import ar.loteria.common.StopSignals;
import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.ha.SharedLedgerCentral;
import ar.loteria.server.tls.CentralTls;
import ar.loteria.server.storage.StorageException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the central. Runs until SIGTERM or SIGINT, then stops gracefully with exit code 0. */
public final class ServerMain {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    private ServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(System.getenv()));
    }

    static int run(Map<String, String> env) throws InterruptedException {
        // The stop is taken first: a SIGTERM while the configuration and the keys load would
        // otherwise be the JVM's, exit 143 and no line.
        CompletableFuture<String> stop = new CompletableFuture<>();
        StopSignals.onStop(stop::complete);
        ServerConfig config;
        try {
            config = ServerConfig.load(ServerConfig.defaultConfigFile(env), env);
        } catch (ConfigException e) {
            LogLine.fail("config").with("error", e.getMessage()).error(log);
            return 1;
        }
        LogSetup.setLevel(config.loggingLevel());
        LogLine.success("config").with("port", config.port()).with("listen_backlog", config.listenBacklog())
                .with("logging_level", config.loggingLevel()).info(log);

        TlsMaterial tls;
        try {
            tls = CentralTls.material(config).orElse(null);
        } catch (ConfigException e) {
            LogLine.fail("tls").with("error", e.getMessage()).error(log);
            return 1;
        }
        logTls(config, tls);
        if (stop.isDone()) { // stopped before it began: nothing was opened
            LogLine.inProgress("shutdown").with("signal", stop.join()).info(log);
            LogLine.success("shutdown").info(log);
            return 0;
        }
        if (config.storageUrl() != null) {
            // A ledger in PostgreSQL may be shared with standby centrals: serve while holding its lock.
            stop.thenAccept(signal -> LogLine.inProgress("shutdown").with("signal", signal).info(log));
            int code = SharedLedgerCentral.run(config, tls, stop);
            if (code == 0) {
                LogLine.success("shutdown").info(log);
            }
            return code;
        }
        Central central;
        try {
            central = Central.start(config, tls);
        } catch (IOException | StorageException e) {
            LogLine.fail("listen").with("storage", config.storageLocation()).with("error", e.getMessage()).error(log);
            return 1;
        }
        LogLine.inProgress("shutdown").with("signal", stop.join()).info(log);
        central.stop();
        LogLine.success("shutdown").info(log);
        return 0;
    }

    private static void logTls(ServerConfig config, TlsMaterial tls) {
        if (tls != null) {
            LogLine.success("tls").with("mode", "on").with("certificate", tls.certificate().getSubjectX500Principal().getName())
                    .with("valid_until", tls.certificate().getNotAfter().toInstant()).with("dir", config.tlsDir())
                    .info(log);
        } else {
            LogLine.success("tls").with("mode", "off").with("detail", config.tls() == ServerConfig.TlsMode.OFF
                    ? "TLS=off: plain TCP, for a closed test network only"
                    : "no keys in " + config.tlsDir() + ": plain TCP (make them: see README)").info(log);
        }
    }
}
