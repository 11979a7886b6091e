package ar.loteria.server.draw;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Winning documents per agency, fixed once the draw has run (an immutable copy of what it is given). */
public record DrawResult(Map<Integer, List<String>> winnersByAgency, long betsScanned) {
    public DrawResult {
        Map<Integer, List<String>> copy = new HashMap<>();
        winnersByAgency.forEach((agency, documents) -> copy.put(agency, List.copyOf(documents)));
        winnersByAgency = Map.copyOf(copy);
    }

    public List<String> winnersOf(int agency) {
        return winnersByAgency.getOrDefault(agency, List.of());
    }
}
