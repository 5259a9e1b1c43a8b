import { expect, test } from "./fixtures/users";
import { ShapesPage } from "./pages/shapes-page";

test.describe("shapes", () => {
  test("Bob watches Alice draw, undo and redo, then stops watching", async ({ alice, bob }) => {
    const aliceShapes = await new ShapesPage(alice.page).open();
    await aliceShapes.draw("Circle", 120, 120);
    await aliceShapes.draw("Rectangle", 300, 160);

    // A late watcher sees the current drawing at once.
    const bobShapes = await new ShapesPage(bob.page).open();
    await bobShapes.watch("alice");
    await expect(bobShapes.mirror).toHaveAttribute("data-shape-count", "2");
    await expect(bobShapes.mirror.locator("[data-shape=circle]")).toHaveCount(1);
    await expect(bobShapes.mirror.locator("[data-shape=rect]")).toHaveCount(1);

    await aliceShapes.draw("Circle", 420, 220);
    await expect(bobShapes.mirror).toHaveAttribute("data-shape-count", "3");
    await aliceShapes.undo();
    await expect(bobShapes.mirror).toHaveAttribute("data-shape-count", "2");
    await aliceShapes.undo();
    await expect(bobShapes.mirror).toHaveAttribute("data-shape-count", "1");
    await aliceShapes.redo();
    await expect(bobShapes.mirror).toHaveAttribute("data-shape-count", "2");

    await bobShapes.stopWatching();
    await expect(bobShapes.mirror).toHaveCount(0);
    // Bob's own canvas was never touched.
    await expect(bobShapes.canvas).toHaveAttribute("data-shape-count", "0");
  });

  test("Alice sees who is drawing, live", async ({ alice, bob }) => {
    const aliceShapes = await new ShapesPage(alice.page).open();
    await new ShapesPage(bob.page).open();
    await expect(aliceShapes.page.getByTestId("drawer-bob")).toBeVisible();
    await bob.page.close();
    await expect(aliceShapes.page.getByTestId("drawer-bob")).toHaveCount(0);
  });
});
