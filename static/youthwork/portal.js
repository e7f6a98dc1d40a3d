/*
 * The portal's only script, loaded on every page (templates/base.html and the admin's
 * templates/admin/base_site.html). The Content-Security-Policy allows no inline script, so pages ask for
 * behaviour with data- attributes instead:
 *
 *   <form method="post" data-confirm="确定定稿吗?">  asks first; 取消 sends nothing.
 *   <input type="text" data-date-picker>         a date typed as written (2023.5.4), with a 日历 button
 *                                                 beside it that opens the browser's own date picker.
 *
 * Every POST form is sent once: after the first submission its submit buttons are disabled, so a double click
 * or a second Enter sends nothing more. The clicked button's name and value are copied into a hidden input
 * first (a disabled button is not sent), so 保存 / 保存并继续新增 still tell the server which was meant.
 * The buttons come back when the page is shown again from the browser's history (the back button), and
 * after RESUBMIT_AFTER_MS for a form whose answer is a download that leaves the page where it is.
 */
(function () {
  "use strict";

  var RESUBMIT_AFTER_MS = 10000;
  var SUBMITTED = "data-submitted";
  var COPY = "data-submitter-copy";

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return (element.type === "submit" || element.type === "image") && !element.disabled;
    });
  }

  function release(form) {
    form.removeAttribute(SUBMITTED);
    Array.prototype.forEach.call(form.querySelectorAll("[" + SUBMITTED + "]"), function (button) {
      button.disabled = false;
      button.removeAttribute(SUBMITTED);
    });
    Array.prototype.forEach.call(form.querySelectorAll("input[" + COPY + "]"), function (input) {
      input.remove();
    });
  }

  function hold(form, submitter) {
    form.setAttribute(SUBMITTED, "");
    if (submitter && submitter.name && submitter.form === form) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.setAttribute(COPY, "");
      form.appendChild(copy);
    }
    submitButtons(form).forEach(function (button) {
      button.disabled = true;
      button.setAttribute(SUBMITTED, "");
    });
    window.setTimeout(function () { release(form); }, RESUBMIT_AFTER_MS);
  }

  // Listening on the document, after the form's own handlers: a submission they cancelled is left alone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) {
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.method !== "post") {
      return;
    }
    if (form.hasAttribute(SUBMITTED)) {
      event.preventDefault();
      return;
    }
    hold(form, event.submitter);
  });

  // Back to a page kept in the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.querySelectorAll("form[" + SUBMITTED + "]"), release);
    }
  });

  // A typed date field gets a calendar button: a hidden native date input whose picker fills the text field.
  var ISO = /^(\d{4})[-\/.年](\d{1,2})[-\/.月](\d{1,2})日?$/;

  function isoOf(text) {
    var match = ISO.exec((text || "").trim());
    if (!match) {
      return "";
    }
    return match[1] + "-" + ("0" + match[2]).slice(-2) + "-" + ("0" + match[3]).slice(-2);
  }

  function addPicker(input) {
    var picker = document.createElement("input");
    picker.type = "date";
    picker.tabIndex = -1;
    picker.className = "visually-hidden";
    picker.setAttribute("aria-hidden", "true");
    ["min", "max"].forEach(function (name) {
      if (input.hasAttribute(name)) {
        picker.setAttribute(name, input.getAttribute(name));
      }
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    button.textContent = "日历";
    button.setAttribute("aria-label", "打开日历选择");
    button.addEventListener("click", function () {
      picker.value = isoOf(input.value);
      if (typeof picker.showPicker === "function") {
        try {
          picker.showPicker();
          return;
        } catch (error) { /* not allowed here: fall back to focusing it */ }
      }
      picker.focus();
    });
    picker.addEventListener("change", function () {
      if (picker.value) {
        input.value = picker.value;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    var group = document.createElement("div");
    group.className = "input-group";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    group.appendChild(button);
    group.appendChild(picker);
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-date-picker]"), addPicker);
})();
