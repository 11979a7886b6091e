package ar.loteria.server.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A PostgreSQL to run a central against by hand, without Docker or a system service (docs/performance.md measures
 * the native round with it): the embedded server of the tests, but with fsync and synchronous_commit on, as a real
 * one runs. It makes the database {@code loteria}, writes its JDBC URL to the file given (then prints it), and runs
 * until it gets SIGTERM or SIGINT, when it stops the server (zonky's shutdown hook) and removes its data:
 * <pre>
 *   java -cp server/target/test-classes:$(test classpath) ar.loteria.server.support.EmbeddedPostgresMain URL_FILE
 *   STORAGE_URL=$(cat URL_FILE) STORAGE_USER=postgres server/bin/server
 * </pre>
 */
public final class EmbeddedPostgresMain {
    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Path urlFile = Path.of(args.length > 0 ? args[0] : "postgres.url");
        File log = new File(urlFile.toAbsolutePath() + ".log");
        EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log)).start();
        try (Connection admin = server.getPostgresDatabase().getConnection(); Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE loteria");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/loteria";
        Files.writeString(urlFile, url + "\n");
        System.out.println(url);
        new CountDownLatch(1).await(); // until a signal: the shutdown hooks stop the server
    }
}
