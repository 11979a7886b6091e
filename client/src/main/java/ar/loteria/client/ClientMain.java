package ar.loteria.client;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.BetSource;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.client.source.SingleBetSource;
import ar.loteria.common.ConfigException;
import ar.loteria.common.InvalidBetException;
import ar.loteria.common.LogSetup;
import ar.loteria.common.LogLine;
import ar.loteria.common.StopSignals;
import ar.loteria.common.tls.TlsMaterial;
import java.nio.file.Files;
import java.security.Security;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Entry point of an agency. Exit code 0 on success and on SIGTERM, 1 on failure (with one line saying why). */
public final class ClientMain {
    static {
        // Every attempt looks the central's name up again. After a crash its container is gone
        // for a moment (in Compose the name stops resolving) and may come back at another address;
        // the JVM would keep a failed lookup 10 s and a good one 30 s, longer than the default
        // attempts (5, 1 s apart), and the agency would give up on a central that is back. Set
        // before anything (logging included) looks a name up: the first lookup fixes the JVM's
        // cache policy for good.
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
        Security.setProperty("networkaddress.cache.ttl", "0");
    }

    private static final Logger log = LoggerFactory.getLogger(ClientMain.class);

    private ClientMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv()));
    }

    static int run(Map<String, String> environment) {
        // The stop is taken first: a SIGTERM while the configuration and the keys load (a
        // `docker compose stop` right after `up`) would otherwise be the JVM's, exit 143 and no line.
        Thread runner = Thread.currentThread();
        AtomicReference<AgencyClient> running = new AtomicReference<>();
        AtomicBoolean stopRequested = new AtomicBoolean();
        StopSignals.onStop(signal -> {
            LogLine.inProgress("shutdown").with("signal", signal).info(log);
            stopRequested.set(true);
            AgencyClient client = running.get();
            if (client != null) {
                client.stop(runner);
            }
        });
        Map<String, String> env = withoutEmptyValues(environment);
        ClientConfig config = loadConfig(env);
        if (config == null) {
            return 1;
        }
        boolean singleBet = SingleBetSource.requested(env);
        BetSource.Opener bets = singleBet ? singleBet(env) : agencyFile(config);
        if (bets == null) {
            return 1;
        }
        SSLContext tls;
        try {
            tls = tls(config);
        } catch (ConfigException e) {
            LogLine.fail("tls").with("client_id", config.id()).with("error", e.getMessage()).error(log);
            return 1;
        }
        AgencyClient client = new AgencyClient(config, bets, singleBet ? Level.INFO : Level.DEBUG, tls);
        running.set(client);
        if (stopRequested.get()) {
            client.stop(runner); // the signal came before the client was made: its run ends at once
        }
        try {
            return report(config, client.run(), singleBet);
        } catch (AgencyClient.FailedException e) {
            LogLine.fail("loop_failed").with("client_id", config.id()).with("error", e.getMessage()).error(log);
            return 1;
        }
    }

    /**
     * This agency's TLS context: none with {@code CLI_TLS=off}, or with {@code auto} (the default)
     * when {@code CLI_TLS_DIR} holds no keys; else its key, which must be this agency's
     * ({@code CN=agencia-CLI_ID}), checked at start.
     */
    private static SSLContext tls(ClientConfig config) throws ConfigException {
        if (config.tls() == ClientConfig.TlsMode.OFF
                || config.tls() == ClientConfig.TlsMode.AUTO && !TlsMaterial.present(config.tlsDir())) {
            LogLine.success("tls").with("mode", "off").with("detail", config.tls() == ClientConfig.TlsMode.OFF
                    ? "CLI_TLS=off: plain TCP, for a closed test network only"
                    : "no keys in " + config.tlsDir() + ": plain TCP").info(log);
            return null;
        }
        TlsMaterial material = TlsMaterial.load(config.tlsDir(), "CLI_TLS_DIR=" + config.tlsDir());
        int named = TlsMaterial.agencyOf(material.certificate());
        if (named != config.id()) {
            throw new ConfigException("TLS: the certificate in " + config.tlsDir() + " is "
                    + (named > 0 ? "agency " + named + "'s" : "no agency's (" + material.certificate()
                    .getSubjectX500Principal().getName() + ")") + ", but this is agency " + config.id() + " (CLI_ID)");
        }
        LogLine.success("tls").with("mode", "on").with("certificate", material.certificate().getSubjectX500Principal()
                .getName()).with("valid_until", material.certificate().getNotAfter().toInstant()).debug(log);
        return material.context();
    }

    /**
     * A variable set to the empty string counts as not set, as in the course's Go client (Viper)
     * and as Compose's {@code ${VAR}} produces for a variable the host does not have: the
     * configuration file's value (or the default) applies.
     */
    private static Map<String, String> withoutEmptyValues(Map<String, String> env) {
        Map<String, String> set = new HashMap<>(env);
        set.values().removeIf(String::isEmpty);
        return set;
    }

    private static ClientConfig loadConfig(Map<String, String> env) {
        try {
            ClientConfig config = ClientConfig.load(ClientConfig.defaultConfigFile(env), env);
            LogSetup.setLevel(config.logLevel());
            LogLine.success("config").with("client_id", config.id()).with("server_address", config.serverAddress())
                    .with("loop_amount", config.loopAmount()).with("loop_period", config.loopPeriodText())
                    .with("log_level", config.logLevel()).info(log);
            return config;
        } catch (ConfigException e) {
            LogLine.fail("config").with("error", e.getMessage()).error(log);
            return null;
        }
    }

    private static BetSource.Opener singleBet(Map<String, String> env) {
        try {
            return SingleBetSource.opener(SingleBetSource.fromEnvironment(env, BatchCutter.MAX_BETS_BYTES));
        } catch (InvalidBetException e) {
            LogLine.fail("leer_apuesta").with("origin", "environment").with("error", e.getMessage()).error(log);
            return null;
        }
    }

    private static BetSource.Opener agencyFile(ClientConfig config) {
        if (!Files.isReadable(config.dataFile())) {
            LogLine.fail("leer_apuestas").with("file", config.dataFile())
                    .with("error", "the bets file does not exist or cannot be read").error(log);
            return null;
        }
        return CsvBetSource.opener(config.dataFile(), BatchCutter.MAX_BETS_BYTES);
    }

    private static int report(ClientConfig config, AgencyClient.Outcome outcome, boolean singleBet) {
        if (outcome instanceof AgencyClient.Outcome.Done done) {
            LogLine.success("consulta_ganadores").with("cant_ganadores", done.winners().size()).info(log);
            LogLine.success("loop_finished").with("client_id", config.id()).info(log);
        } else {
            LogLine.success("close_resource").with("resource", "socket").info(log);
            if (!singleBet) { // in single-bet mode no file was opened
                LogLine.success("close_resource").with("resource", "bets_file").with("file", config.dataFile()).info(log);
            }
            LogLine.success("shutdown").with("client_id", config.id()).info(log);
        }
        return 0;
    }
}
