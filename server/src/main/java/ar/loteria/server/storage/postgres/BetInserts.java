package ar.loteria.server.storage.postgres;

import ar.loteria.protocol.Bet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How a batch's bets reach the bet table: one INSERT of five arrays, unnested by the server, so a batch is one
 * statement and one round trip whatever its size. (The alternatives measured: docs/performance.md.)
 */
final class BetInserts {
    private static final String INSERT = "INSERT INTO bet (agency, position, nombre, apellido, documento, nacimiento, numero)"
            + " SELECT ?, ? + b.ordinality - 1, b.nombre, b.apellido, b.documento, b.nacimiento, b.numero"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::integer[])"
            + " WITH ORDINALITY AS b(nombre, apellido, documento, nacimiento, numero, ordinality)";

    private BetInserts() {
    }

    /** Inserts {@code bets} at positions {@code from}.. of the agency's stream. */
    static void insert(Connection connection, int agency, int from, List<Bet> bets) throws SQLException {
        int size = bets.size();
        String[] nombre = new String[size];
        String[] apellido = new String[size];
        String[] documento = new String[size];
        String[] nacimiento = new String[size];
        Integer[] numero = new Integer[size];
        for (int i = 0; i < size; i++) {
            Bet bet = bets.get(i);
            nombre[i] = bet.firstName();
            apellido[i] = bet.lastName();
            documento[i] = bet.document();
            nacimiento[i] = bet.birthdate();
            numero[i] = bet.number();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setInt(1, agency);
            insert.setInt(2, from);
            insert.setArray(3, connection.createArrayOf("text", nombre));
            insert.setArray(4, connection.createArrayOf("text", apellido));
            insert.setArray(5, connection.createArrayOf("text", documento));
            insert.setArray(6, connection.createArrayOf("text", nacimiento));
            insert.setArray(7, connection.createArrayOf("integer", numero));
            insert.executeUpdate();
        }
    }
}
