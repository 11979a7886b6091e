package ar.loteria.client;

import ar.loteria.protocol.Bet;
import java.util.List;

/**
 * A batch ready for the socket: the whole {@code BetBatch} frame in {@code frame[0, length)},
 * and the bets it holds, for the acknowledgement check and the log.
 */
public record EncodedBatch(byte[] frame, int length, List<Bet> bets) {
    public int size() {
        return bets.size();
    }
}
