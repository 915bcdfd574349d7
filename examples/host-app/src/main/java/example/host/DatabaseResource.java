package example.host;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What the application's own datasource is: its pool, its tables, its Flyway history. */
@Path("/db")
public class DatabaseResource {

  private final AgroalDataSource dataSource;

  DatabaseResource(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * @return the JDBC pool's limits, as Agroal applies them
   */
  @GET
  @Path("/pool")
  public String pool() {
    AgroalConnectionPoolConfiguration pool =
        dataSource.getConfiguration().connectionPoolConfiguration();
    return "max " + pool.maxSize() + ", min " + pool.minSize();
  }

  /**
   * @return the tables of the current schema, one a line, sorted
   */
  @GET
  @Path("/tables")
  public String tables() throws SQLException {
    return String.join(
        "\n",
        query(
            "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = current_schema() ORDER BY table_name"));
  }

  /**
   * @return the application's Flyway history: version, description and success, one a line
   */
  @GET
  @Path("/migrations")
  public String migrations() throws SQLException {
    return String.join(
        "\n",
        query(
            "SELECT version || ' ' || description || ' ' || success FROM flyway_schema_history"
                + " ORDER BY installed_rank"));
  }

  private List<String> query(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.add(result.getString(1));
      }
    }
    return rows;
  }
}
