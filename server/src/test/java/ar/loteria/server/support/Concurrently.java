package ar.loteria.server.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on threads of their own, released together by a barrier (so they overlap rather than run one after
 * another as threads start), and returns their results in order; a task's failure is rethrown here, with the
 * others' failures suppressed into it, so nothing that fails on a background thread goes unnoticed.
 */
public final class Concurrently {
    private Concurrently() {
    }

    /** A task that knows its index among the ones started together. */
    @FunctionalInterface
    public interface Task<T> {
        T run(int index) throws Exception;
    }

    public static <T> List<T> run(int threads, Task<T> task) throws Exception {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            tasks.add(() -> task.run(index));
        }
        return run(tasks);
    }

    public static <T> List<T> run(List<Callable<T>> tasks) throws Exception {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            Throwable failure = null;
            for (Future<T> future : futures) {
                try {
                    results.add(future.get(120, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                }
            }
            if (failure instanceof Error error) {
                throw error; // an assertion that failed on a task's thread
            }
            if (failure != null) {
                throw (Exception) failure;
            }
            return results;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
