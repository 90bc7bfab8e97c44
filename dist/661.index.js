export const id = 661;
export const ids = [661];
export const modules = {

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _docker_login_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4377);
/* harmony import */ var _docker_test_run_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3942);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6455);





/** The post step: logs out and removes the action's credentials and temp files; warns, never fails. */
async function post() {
    const warnings = [];
    const dockerConfig = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_names_js__WEBPACK_IMPORTED_MODULE_4__/* .State */ .U.dockerConfig);
    // The test container of a cancelled job: the main step was stopped while it ran.
    const container = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_names_js__WEBPACK_IMPORTED_MODULE_4__/* .State */ .U.testContainer);
    if (container)
        await (0,_docker_test_run_js__WEBPACK_IMPORTED_MODULE_3__/* .removeContainer */ .od)(container, dockerConfig);
    if (dockerConfig) {
        warnings.push(...(await (0,_docker_login_js__WEBPACK_IMPORTED_MODULE_2__/* .logout */ .ri)(dockerConfig, registries())));
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed the action's Docker config ${dockerConfig}`);
    }
    const tempDir = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_names_js__WEBPACK_IMPORTED_MODULE_4__/* .State */ .U.tempDir);
    if (tempDir) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(tempDir, { recursive: true, force: true });
        }
        catch (error) {
            warnings.push(`could not remove ${tempDir}: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    for (const warning of warnings)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`cleanup: ${warning}`);
}
function registries() {
    try {
        const value = JSON.parse(_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_names_js__WEBPACK_IMPORTED_MODULE_4__/* .State */ .U.registries) || '[]');
        return Array.isArray(value) ? value.filter((r) => typeof r === 'string') : [];
    }
    catch {
        return [];
    }
}


/***/ })

};
