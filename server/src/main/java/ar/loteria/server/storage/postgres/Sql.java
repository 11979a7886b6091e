package ar.loteria.server.storage.postgres;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a failure from the database means to the ledger, and how it is told in one line. */
final class Sql {
    /**
     * The SQLSTATEs of a transaction that lost a race to another writer, after which it is run again and answers from
     * what is stored: unique_violation (a position, "finished" or the draw stored meanwhile), foreign_key_violation (the
     * agency finished meanwhile: its count is pinned), serialization_failure and deadlock_detected.
     */
    private static final Set<String> LOST_RACE = Set.of("23505", "23503", "40001", "40P01");

    private Sql() {
    }

    /** Thrown by the ledger itself when a compare-and-set found the agency's count moved by another writer. */
    static final class LostRace extends SQLException {
        LostRace() {
            super("the agency's count was moved by another writer", "40001");
        }
    }

    static boolean lostRace(SQLException e) {
        return e.getSQLState() != null && LOST_RACE.contains(e.getSQLState());
    }

    /**
     * The failure in one line: the driver's own message (the innermost SQLException: the pool wraps it) with its
     * SQLSTATE, and what the network said beneath it, e.g. "The connection attempt failed. (SQLSTATE 08001;
     * UnknownHostException: nohost)".
     */
    static String describe(Throwable failure) {
        Throwable said = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException) {
                said = cause;
            }
        }
        StringBuilder line = new StringBuilder(oneLine(said.getMessage() == null ? said.getClass().getSimpleName()
                : said.getMessage()));
        List<String> details = new ArrayList<>();
        if (said instanceof SQLException sql && sql.getSQLState() != null) {
            details.add("SQLSTATE " + sql.getSQLState());
        }
        Throwable beneath = said.getCause();
        if (beneath != null && beneath != said && !(beneath instanceof SQLException)) {
            details.add(beneath.getClass().getSimpleName() + (beneath.getMessage() == null ? "" : ": " + oneLine(beneath.getMessage())));
        }
        if (!details.isEmpty()) {
            line.append(" (").append(String.join("; ", details)).append(')');
        }
        return JdbcUrls.redacted(line.toString()); // the driver quotes a URL it cannot parse whole
    }

    /** Line breaks (PostgreSQL's detail and hint lines, Flyway's reports) joined into one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
