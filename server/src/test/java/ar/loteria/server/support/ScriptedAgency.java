package ar.loteria.server.support;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agency driven by the test over a raw connection, which knows exactly which of its bets the
 * central acknowledged: what a crash or a stop must never lose.
 */
public final class ScriptedAgency {
    private final int agency;
    private final List<Bet> bets = new ArrayList<>();
    private final AtomicInteger acknowledged = new AtomicInteger();

    public ScriptedAgency(int agency, Path file) throws Exception {
        this.agency = agency;
        for (String[] row : Dataset.rows(file)) {
            bets.add(new Bet(row[0], row[1], row[2], row[3], Integer.parseInt(row[4])));
        }
    }

    /** Bets the central acknowledged (from the start of the agency's stream). */
    public int acknowledged() {
        return acknowledged.get();
    }

    public List<List<String>> rows(int count) {
        return bets.subList(0, count).stream()
                .map(b -> Arrays.asList(b.firstName(), b.lastName(), b.document(), b.birthdate(), String.valueOf(b.number())))
                .toList();
    }

    /** Sends from where the central's storage ends, in batches of {@code batchSize}, until done or the connection fails. */
    public void send(int port, int batchSize) throws Exception {
        try (RawPeer peer = new RawPeer(port)) {
            int position = peer.session(agency).storedBets();
            acknowledged.set(position);
            while (position < bets.size()) {
                List<Bet> batch = bets.subList(position, Math.min(bets.size(), position + batchSize));
                BatchAck ack = peer.request(new BetBatch(agency, position, batch), BatchAck.class);
                position += batch.size();
                if (ack.storedBets() != position) {
                    throw new AssertionError("acknowledged " + ack.storedBets() + " after bet " + position);
                }
                acknowledged.set(position);
            }
        }
    }
}
