import { expectApart, expectOneRow, expectSideBySide } from "./fixtures/boxes";
import { expect, test } from "./fixtures/users";
import { RENDERING } from "./fixtures/tags";
import { WINDOW_SIZES } from "./fixtures/window-sizes";
import { ShapesPage } from "./pages/shapes-page";

/** What a person sees at a laptop's and at a phone's size: nothing covers the conversation. */
for (const size of WINDOW_SIZES) {
  test.describe(`on a ${size.name}`, () => {
    test.use({ viewport: size.viewport });

    test(
      "the TV and an announcement never cover the log, which stays on its newest message",
      RENDERING,
      async ({ alice, room }) => {
        const chat = await alice.chat().open([room]);
        for (let i = 1; i <= 12; i++) await chat.send(`line ${i}`);
        await chat.send("/tv.watch Live from the lab");
        await chat.send("/cmd.announce Standup in 5");
        await expect(chat.announcement).toBeVisible();
        const tv = alice.page.locator("#tv");
        await expect(tv).toBeVisible();
        await chat.send("after the TV");
        await expectApart(tv, chat.log);
        await expectApart(alice.page.locator("#announce"), chat.log);
        await expect(chat.message("after the TV")).toBeInViewport();

        // An error under the composer takes its own line; the newest message stays in view.
        await chat.sendRefused("/cmd.nope");
        await expectApart(chat.composerError, chat.log);
        await expect(chat.message("after the TV")).toBeInViewport();

        // A picture that cannot load says so instead of leaving a black box.
        await chat.input.fill("");
        await chat.send("/tv.watch /img/no-such-picture.png");
        if (size.isPhone) await tv.getByRole("button", { name: "Show" }).click();
        await expect(alice.page.getByTestId("tv-fallback")).toContainText("could not be played");
      },
    );

    test("a long message collapses behind Show more", RENDERING, async ({ alice, bob, room }) => {
      const aliceChat = await alice.chat().open([room]);
      const bobChat = await bob.chat().open([room]);
      const long = Array.from({ length: 40 }, (_, i) => `sentence number ${i} of a long story.`);
      await aliceChat.send(long.join(" "));
      const text = bobChat.message("sentence number 0").getByTestId("message-text");
      const more = bobChat.message("sentence number 0").getByRole("button", { name: "Show more" });
      await expect(more).toBeVisible();
      const collapsed = (await text.boundingBox())!.height;
      await more.click();
      await expect(
        bobChat.message("sentence number 0").getByRole("button", { name: "Show less" }),
      ).toBeVisible();
      expect((await text.boundingBox())!.height).toBeGreaterThan(collapsed * 1.5);
      // A short one has nothing to expand.
      await aliceChat.send("short and sweet");
      await expect(bobChat.message("short and sweet").getByRole("button")).toHaveCount(0);
    });

    test("channel names, commands and links say what is wrong", async ({ alice, room }) => {
      const chat = await alice.chat().open([room]);
      const box = alice.page.getByRole("textbox", { name: "Channel to join" });
      await box.fill("has space");
      await expect(box).toHaveAccessibleDescription(
        "Spaces aren't allowed in channel names. Use 1–64 letters, digits, _ . : or -.",
      );
      await expect(alice.page.getByRole("button", { name: "Join", exact: true })).toBeDisabled();
      await box.fill("x".repeat(70));
      await expect(box).toHaveAccessibleDescription(/at most 64/u);

      const hint = await chat.sendRefused("/cmd.dance now");
      await expect(hint).toContainText("/cmd.dance isn't a command here. Try /cmd.announce");

      await alice.page.goto(`/chat?channels=${room},bad%20name,a@b`);
      await chat.expectConnected();
      await expect(alice.page.getByTestId("dropped-channels")).toContainText(
        "Left out “bad name”, “a@b” from the link",
      );
      await expect(chat.channelButton(room)).toBeVisible();
    });

    test("a command the server refuses says why and keeps what was typed", async ({
      guest,
      room,
    }) => {
      const chat = await guest.chat().open([room]);
      // The TV loads a URL in every viewer's page: remote control, for signed-in users only.
      const error = await chat.sendRefused("/tv.watch https://evil.example/x.png");
      await expect(error).toContainText("Sign in to send 'tv.watch'");
    });

    test(
      "the sign-up form states its rules and says what is wrong as you type",
      RENDERING,
      async ({ page }) => {
        await page.goto("/signup");
        const name = page.getByRole("textbox", { name: "Name" });
        const password = page.getByLabel("Password");
        await expect(name).toHaveAccessibleDescription(
          "2–24 letters, digits, _ or -, starting with a letter",
        );
        await expect(password).toHaveAccessibleDescription("8 characters to 72 bytes");
        for (const [value, problem] of [
          ["a", "Too short: a name has at least 2 characters"],
          ["user12", "Names like user12 are kept for guests"],
          ["9lives", "Start with a letter"],
        ] as const) {
          await name.fill(value);
          await name.blur();
          await expect(name).toHaveAttribute("aria-invalid", "true");
          await expect(name).toHaveAccessibleDescription(new RegExp(`^${problem}`, "u"));
        }
        await name.fill("grace");
        await expect(name).not.toHaveAttribute("aria-invalid");
        await password.fill("短".repeat(25));
        await password.blur();
        await expect(password).toHaveAccessibleDescription(/^Too long: at most 72 bytes/u);
        await password.fill("long enough");
        await expect(password).not.toHaveAttribute("aria-invalid");
      },
    );

    test(
      "Shapes keeps the watched canvas in view and its toolbar on one row",
      RENDERING,
      async ({ alice, bob }) => {
        const aliceShapes = await new ShapesPage(alice.page).open();
        await aliceShapes.draw("Circle", 60, 60);
        const bobShapes = await new ShapesPage(bob.page).open();
        await expectOneRow(
          bob.page.getByRole("toolbar", { name: "Drawing tools" }).getByRole("button"),
        );
        await bobShapes.chooseColour("#ec4899");
        await bobShapes.watch("alice");
        await expect(bobShapes.mirror).toHaveAttribute("data-shape-count", "1");
        await expect(bobShapes.mirror).toBeInViewport();
        if (!size.isPhone) await expectSideBySide(bobShapes.canvas, bobShapes.mirror);
        await expectOneRow(
          bob.page.getByRole("toolbar", { name: "Drawing tools" }).getByRole("button"),
        );
      },
    );
  });
}

test.describe("on the narrowest phone (320 px)", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test(
    "the header's links and buttons each keep to one line inside the window",
    RENDERING,
    async ({ guest, alice, ada }) => {
      for (const person of [guest, alice, ada]) {
        await person.page.goto("/chat");
        const items = person.page.getByRole("banner").locator("a:visible, button:visible");
        await expectOneRow(items);
        for (const item of await items.all()) {
          const box = (await item.boundingBox())!;
          // One line of 14 px text with its padding is 32 px; a wrapped label is twice that.
          expect(box.height, `${await item.innerText()} on one line`).toBeLessThan(40);
          expect(
            box.x + box.width,
            `${await item.innerText()} inside the window`,
          ).toBeLessThanOrEqual(320);
        }
      }
    },
  );
});
