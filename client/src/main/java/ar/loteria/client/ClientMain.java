package ar.loteria.client;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.config.ConfigException;
import ar.loteria.client.source.BetSource;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.client.source.InvalidBetException;
import ar.loteria.client.source.SingleBetSource;
import ar.loteria.client.transport.RefusedException;
import ar.loteria.protocol.runtime.ProtocolException;
import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Entry point of an agency client. Exit code 0 on success and on SIGTERM, 1 on failure. */
public final class ClientMain {
    private static final Logger log = LoggerFactory.getLogger(ClientMain.class);

    private ClientMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv()));
    }

    static int run(Map<String, String> env) {
        ClientConfig config;
        try {
            config = ClientConfig.load(ClientConfig.defaultConfigFile(env), env);
        } catch (ConfigException e) {
            log.error("action: config | result: fail | error: {}", clean(e.getMessage()));
            return 1;
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(config.logLevel()));
        log.info("action: config | result: success | client_id: {} | server_address: {} | loop_amount: {} | loop_period: {} | log_level: {}",
                config.id(), config.serverAddress(), config.loopAmount(), config.loopPeriodText(), config.logLevel());

        boolean single = SingleBetSource.requested(env);
        BetSource source;
        try {
            source = single ? SingleBetSource.fromEnvironment(env) : new CsvBetSource(config.dataFile());
        } catch (InvalidBetException e) {
            log.error("action: leer_apuesta | result: fail | source: environment | error: {}", clean(e.getMessage()));
            return 1;
        } catch (java.nio.file.NoSuchFileException e) {
            log.error("action: leer_apuestas | result: fail | file: {} | error: the bets file does not exist", config.dataFile());
            return 1;
        } catch (IOException e) {
            log.error("action: leer_apuestas | result: fail | file: {} | error: {}", config.dataFile(), clean(String.valueOf(e.getMessage())));
            return 1;
        }

        AgencyClient client = new AgencyClient(config, source, single);
        Thread main = Thread.currentThread();
        // The JVM's own SIGTERM handling exits with 143: handle it, unblock the run, exit 0.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                log.info("action: shutdown | result: in_progress | signal: SIG{}", s.getName());
                client.stop();
                main.interrupt();
            });
        }

        int exitCode;
        try {
            List<String> winners = client.run();
            log.info("action: consulta_ganadores | result: success | cant_ganadores: {}", winners.size());
            exitCode = 0;
        } catch (AgencyClient.StoppedException e) {
            exitCode = 0;
        } catch (InterruptedException e) {
            exitCode = client.stopping() ? 0 : 1;
        } catch (RefusedException e) {
            log.error("action: loop_finished | result: fail | client_id: {} | error: the central refused: {}",
                    config.id(), clean(e.getMessage()));
            exitCode = 1;
        } catch (ProtocolException e) {
            log.error("action: loop_finished | result: fail | client_id: {} | error: bad reply from the central: {}",
                    config.id(), clean(e.getMessage()));
            exitCode = 1;
        } catch (IOException e) {
            if (client.stopping()) {
                exitCode = 0;
            } else {
                log.error("action: loop_finished | result: fail | client_id: {} | error: {}", config.id(),
                        clean(String.valueOf(e.getMessage())));
                exitCode = 1;
            }
        }
        try {
            source.close();
            log.info("action: close_resource | result: success | resource: bets_file | source: {}", source.description());
        } catch (IOException e) {
            log.error("action: close_resource | result: fail | resource: bets_file | error: {}", clean(e.getMessage()));
        }
        if (client.stopping()) {
            log.info("action: close_resource | result: success | resource: socket");
            log.info("action: shutdown | result: success | client_id: {} | bets_sent: {}", config.id(), client.betsSent());
        } else if (exitCode == 0) {
            log.info("action: loop_finished | result: success | client_id: {}", config.id());
        }
        return exitCode;
    }

    private static String clean(String text) {
        return text.replace('|', '/').replace('\n', ' ');
    }
}
