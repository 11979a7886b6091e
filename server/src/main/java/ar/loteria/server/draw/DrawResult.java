package ar.loteria.server.draw;

import java.util.List;
import java.util.Map;

/** Winning documents per agency, fixed once the draw has run. */
public record DrawResult(Map<Integer, List<String>> winnersByAgency, long betsScanned) {
    public DrawResult {
        winnersByAgency = Map.copyOf(winnersByAgency);
    }

    public List<String> winnersOf(int agency) {
        return winnersByAgency.getOrDefault(agency, List.of());
    }
}
