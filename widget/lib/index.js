"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/plugin/index.ts
var index_exports = {};
__export(index_exports, {
  default: () => pluginBookchat,
  validateOptions: () => validateOptions
});
module.exports = __toCommonJS(index_exports);
var import_node_path = __toESM(require("node:path"));
var import_node_module = require("node:module");

// src/core/help.ts
var MAX_STARTERS = 6;

// src/options.ts
var PLUGIN_NAME = "docusaurus-plugin-bookchat";
function normalizeOptions(raw) {
  const input = raw && typeof raw === "object" ? raw : {};
  const known = /* @__PURE__ */ new Set(["id", "backend", "apiKey", "title", "sendPage", "helpUrl", "helpLabel", "starterQuestions"]);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new Error(`${PLUGIN_NAME}: unknown option "${key}"`);
  }
  const backend = input.backend ?? "";
  if (typeof backend !== "string") throw new Error(`${PLUGIN_NAME}: "backend" must be a string URL`);
  if (backend && !/^https?:\/\/[^\s/]+/.test(backend)) {
    throw new Error(`${PLUGIN_NAME}: "backend" must be an http(s) URL or "" (same origin), got "${backend}"`);
  }
  const options = { backend: backend.replace(/\/+$/, "") };
  if (input.apiKey !== void 0 && input.apiKey !== "") {
    if (typeof input.apiKey !== "string") throw new Error(`${PLUGIN_NAME}: "apiKey" must be a string`);
    options.apiKey = input.apiKey;
  }
  if (input.title !== void 0) {
    if (typeof input.title !== "string" || !input.title.trim()) throw new Error(`${PLUGIN_NAME}: "title" must be a non-empty string`);
    options.title = input.title;
  }
  if (input.sendPage !== void 0) {
    if (typeof input.sendPage !== "boolean") throw new Error(`${PLUGIN_NAME}: "sendPage" must be a boolean`);
    options.sendPage = input.sendPage;
  }
  if (input.helpUrl !== void 0 && input.helpUrl !== "") {
    if (typeof input.helpUrl !== "string" || !/^(https?:\/\/|mailto:|\/)/i.test(input.helpUrl.trim())) {
      throw new Error(`${PLUGIN_NAME}: "helpUrl" must be an http(s) or mailto: URL or a site path, got "${String(input.helpUrl)}"`);
    }
    options.helpUrl = input.helpUrl.trim();
  }
  if (input.helpLabel !== void 0) {
    if (typeof input.helpLabel !== "string" || !input.helpLabel.trim()) throw new Error(`${PLUGIN_NAME}: "helpLabel" must be a non-empty string`);
    options.helpLabel = input.helpLabel.trim();
  }
  if (input.starterQuestions !== void 0) {
    const list = input.starterQuestions;
    if (!Array.isArray(list) || !list.every((q) => typeof q === "string" && q.trim())) {
      throw new Error(`${PLUGIN_NAME}: "starterQuestions" must be a list of non-empty strings`);
    }
    options.starterQuestions = list.map((q) => q.trim()).slice(0, MAX_STARTERS);
  }
  return options;
}

// src/plugin/index.ts
function siteCopy(siteDir, name) {
  try {
    const require2 = (0, import_node_module.createRequire)(import_node_path.default.join(siteDir, "package.json"));
    return import_node_path.default.dirname(require2.resolve(`${name}/package.json`));
  } catch {
    return void 0;
  }
}
function siteEntry(siteDir, name) {
  try {
    return (0, import_node_module.createRequire)(import_node_path.default.join(siteDir, "package.json")).resolve(name);
  } catch {
    return void 0;
  }
}
function pluginBookchat(context, rawOptions) {
  const options = normalizeOptions(rawOptions);
  return {
    name: PLUGIN_NAME,
    getThemePath() {
      return import_node_path.default.resolve(__dirname, "theme");
    },
    getTypeScriptThemePath() {
      return import_node_path.default.resolve(__dirname, "..", "src", "theme");
    },
    getClientModules() {
      return [import_node_path.default.resolve(__dirname, "bookchat.css")];
    },
    async contentLoaded({ actions }) {
      actions.setGlobalData(normalizeOptions(options));
    },
    configureWebpack() {
      const alias = {};
      for (const name of ["react", "react-dom"]) {
        const dir = siteCopy(context.siteDir, name);
        if (dir) alias[name] = dir;
      }
      const themeCommon = siteEntry(context.siteDir, "@docusaurus/theme-common");
      if (themeCommon) alias["@docusaurus/theme-common$"] = themeCommon;
      const docsClient = siteEntry(context.siteDir, "@docusaurus/plugin-content-docs/client");
      if (docsClient) alias["@docusaurus/plugin-content-docs/client$"] = docsClient;
      return { resolve: { alias } };
    }
  };
}
function validateOptions({ options }) {
  const input = options ?? {};
  const { id, ...rest } = input;
  if (id !== void 0 && typeof id !== "string") throw new Error('docusaurus-plugin-bookchat: "id" must be a string');
  return { ...normalizeOptions(rest), id: id ?? "default" };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  validateOptions
});
