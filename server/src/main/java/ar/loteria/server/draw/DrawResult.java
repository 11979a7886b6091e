package ar.loteria.server.draw;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The documents of each agency's winning bets, fixed once the draw has run (an immutable copy). */
public record DrawResult(Map<Integer, List<String>> winnersByAgency) {
    public DrawResult {
        Map<Integer, List<String>> copy = new TreeMap<>();
        winnersByAgency.forEach((agency, documents) -> copy.put(agency, List.copyOf(documents)));
        winnersByAgency = java.util.Collections.unmodifiableMap(copy);
    }

    public List<String> winnersOf(int agency) {
        return winnersByAgency.getOrDefault(agency, List.of());
    }

    public int winnerCount() {
        return winnersByAgency.values().stream().mapToInt(List::size).sum();
    }
}
