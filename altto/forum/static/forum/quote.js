// Quote: put the selected words of a post (or the whole post) into the reply box.
// Without JavaScript the link asks the server for a reply box holding the whole post.
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-quote-post]");
  var box = document.getElementById("id_body");
  if (!link || !box) return;
  var body = document.getElementById("post-body-" + link.dataset.quotePost);
  if (!body) return;
  var selection = window.getSelection();
  var text = "";
  if (selection && !selection.isCollapsed && body.contains(selection.anchorNode)) {
    text = selection.toString();
  }
  text = (text || body.innerText).trim();
  if (!text) return;
  event.preventDefault();
  var quoted = text.split("\n").map(function (line) { return "> " + line; }).join("\n");
  var author = link.dataset.quoteAuthor ? link.dataset.quoteAuthor + "\n" : "";
  box.value = (box.value ? box.value.replace(/\s*$/, "\n\n") : "") + author + quoted + "\n\n";
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
});
