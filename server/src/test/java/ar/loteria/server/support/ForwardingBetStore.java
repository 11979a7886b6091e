package ar.loteria.server.support;

import ar.loteria.protocol.Bet;
import ar.loteria.server.storage.BetStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A {@link BetStore} that hands every call to another: the tests' stores override what they break or watch. */
public class ForwardingBetStore implements BetStore {
    protected final BetStore delegate;

    public ForwardingBetStore(BetStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Recovery recovery() {
        return delegate.recovery();
    }

    @Override
    public Appended append(int agency, int firstBet, List<Bet> batch) throws IOException {
        return delegate.append(agency, firstBet, batch);
    }

    @Override
    public int storedBets(int agency) {
        return delegate.storedBets(agency);
    }

    @Override
    public Held held(int agency) {
        return delegate.held(agency);
    }

    @Override
    public boolean hasFinished(int agency) {
        return delegate.hasFinished(agency);
    }

    @Override
    public OptionalInt finish(int agency) throws IOException {
        return delegate.finish(agency);
    }

    @Override
    public Map<Integer, List<String>> documentsOfBetsOn(int number) throws IOException {
        return delegate.documentsOfBetsOn(number);
    }

    @Override
    public Optional<Map<Integer, List<String>>> recordedDraw() {
        return delegate.recordedDraw();
    }

    @Override
    public DrawRecord recordDraw(Map<Integer, List<String>> winners) throws IOException {
        return delegate.recordDraw(winners);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
