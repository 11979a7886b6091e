package ar.loteria.server.storage;

import ar.loteria.protocol.Bet;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The round's ledger: each agency's bets, exactly once, in the order of its stream; who finished;
 * the draw's result. Safe for concurrent use. {@link FileBetStore} keeps it in the files of a
 * storage directory; {@link ar.loteria.server.storage.postgres.PostgresBetStore} in PostgreSQL,
 * where several centrals may share it. The reads declared without {@link IOException} throw
 * {@link java.io.UncheckedIOException} when a store over the network cannot answer them.
 */
public interface BetStore extends Closeable {
    /** What an append did. */
    sealed interface Appended {
        /** {@code added} new bets were stored; the agency now has {@code storedBets}. */
        record Stored(int added, int storedBets) implements Appended {
        }

        /** Every bet of the batch was stored before (a resend): nothing written. */
        record AlreadyStored(int storedBets) implements Appended {
        }

        /** The batch starts after the agency's stored bets end: nothing written. */
        record Gap(int storedBets) implements Appended {
        }

        /** The agency has finished: it may not add bets. Nothing written. */
        record AgencyFinished(int storedBets) implements Appended {
        }
    }

    /** What opening found on disk. */
    record Recovery(int storedBets, int finishedAgencies, boolean drawRecorded, long tornBetBytes,
                           long tornJournalBytes) {
        public boolean empty() {
            return storedBets == 0 && finishedAgencies == 0 && !drawRecorded;
        }
    }

    /** What the central holds of one agency, read at one moment. */
    record Held(int storedBets, boolean finished, Optional<Bet> lastBet) {
    }

    /** What opening found of an earlier run of the round. */
    Recovery recovery();

    /**
     * Stores {@code batch}, whose first bet is number {@code firstBet} of the agency's stream, if
     * it starts where the agency's stored bets end. A batch that overlaps what is stored has only
     * its new bets stored. Returns once the rows are stored (durably, if so configured).
     */
    Appended append(int agency, int firstBet, List<Bet> batch) throws IOException;

    int storedBets(int agency);

    /** The agency's stored count, "finished" and last stored bet, together (a session start shows them). */
    Held held(int agency);

    boolean hasFinished(int agency);

    /**
     * Records that the agency finished, after its bets are durable, and returns the count recorded
     * with it: its stored bets, which can no longer move. Returns empty (and records nothing) when
     * it had finished already.
     */
    OptionalInt finish(int agency) throws IOException;

    /** By agency, the documents of the bets that played {@code number}, read back without holding them all. */
    Map<Integer, List<String>> documentsOfBetsOn(int number) throws IOException;

    /** The draw's result as recorded by {@link #recordDraw}, here or before a restart. */
    Optional<Map<Integer, List<String>>> recordedDraw();

    /**
     * Records the draw's result durably, once per round: from then on {@link #recordedDraw} returns
     * it, also after a restart. When a draw is recorded already (by an earlier run, or by another
     * central on the same ledger) that one stands and is returned, {@code recordedNow} false.
     */
    DrawRecord recordDraw(Map<Integer, List<String>> winners) throws IOException;

    /** The round's one draw, and whether this call recorded it (only that caller announces it). */
    record DrawRecord(Map<Integer, List<String>> winners, boolean recordedNow) {
    }
}
