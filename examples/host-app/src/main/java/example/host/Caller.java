package example.host;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: set by a resource when a request starts, read back later in that request. */
@RequestScoped
public class Caller {

  private String name;

  /**
   * @return the caller's name, as the resource set it
   */
  public String name() {
    return name;
  }

  /**
   * @param name the caller's name
   */
  public void name(String name) {
    this.name = name;
  }
}
